import Foundation
import Synchronization
import Testing
import TestSupport
@testable import Notification

/// The outbound HTTP client against an in-process sink: redirects are not
/// followed, replies are read up to a cap, one deadline covers the whole
/// exchange, private addresses are refused before anything is sent, the
/// checked address is the one connected to, and cancelling a send ends it.
@Suite struct OutboundHTTPClientTests {
    static let message = DeliverySenderTests.message
    static let now = DeliverySenderTests.now

    static func withHTTP<T: Sendable>(
        timeout: Duration = .seconds(10), allowPrivateEndpoints: Bool = true, resolver: (any HostResolving)? = nil,
        _ body: @Sendable (OutboundHTTPClient) async throws -> T
    ) async throws -> T {
        let http = OutboundHTTPClient(
            configuration: .init(timeout: timeout, allowPrivateEndpoints: allowPrivateEndpoints),
            resolver: resolver ?? SystemHostResolver())
        do {
            let value = try await body(http)
            await http.shutdown()
            return value
        } catch {
            await http.shutdown()
            throw error
        }
    }

    static func post(_ http: OutboundHTTPClient, _ url: String) async -> HTTPExchange {
        await http.post(OutboundRequest(url: URL(string: url)!, headers: ["Content-Type": "application/json"], body: Data("{}".utf8)))
    }

    @Test(arguments: [301, 302, 307, 308])
    func aRedirectIsNotFollowed(status: Int) async throws {
        try await HTTPSink.with { sink in try await Self.withHTTP { http in
            sink.script("/moved", [.init(status: status, body: "", headers: ["Location": sink.url("/elsewhere?token=zzz-token")])])
            let outcome = await WebhookSender(http: http)
                .send(Self.message, to: ChannelTarget(endpoint: sink.url("/moved"), secret: "webhook-secret-0123"), now: Self.now)
            guard case .permanent(status, let error) = outcome else { Issue.record("got \(outcome)"); return }
            #expect(error == "HTTP \(status): redirects are not followed (to http://127.0.0.1)")
            #expect(!error.contains("zzz-token"))
            // A later request arrives; the redirect's target never got one.
            #expect(await Self.post(http, sink.url("/marker")) == .response(status: 200, body: Data(#"{"errcode":0,"errmsg":"ok"}"#.utf8)))
            #expect(sink.requests(to: "/marker").count == 1)
            #expect(sink.requests(to: "/elsewhere").isEmpty)
            #expect(sink.requests(to: "/moved").count == 1)
        }}
    }

    /// A 1 MB reply is read up to the cap; the second half is held by the
    /// sink until released — were the client reading it all, it would wait
    /// for it (and time out), instead it returns with the cap's worth.
    @Test func theReplyBodyIsReadUpToACap() async throws {
        try await HTTPSink.with { sink in try await Self.withHTTP(timeout: .seconds(60)) { http in
            sink.script("/big", [.init(status: 500, body: String(repeating: "x", count: 1_000_000), bodyHeld: true)])
            let exchange = await Self.post(http, sink.url("/big"))
            guard case .response(500, let body, _) = exchange else { Issue.record("got \(exchange)"); return }
            #expect(body.count == http.configuration.maxReplyBytes)
            #expect(body.allSatisfy { $0 == UInt8(ascii: "x") })
            sink.release("/big")
        }}
    }

    /// The head arrives at once and the body stalls: the deadline still ends the exchange.
    @Test func theDeadlineCoversTheWholeReply() async throws {
        try await HTTPSink.with { sink in try await Self.withHTTP(timeout: .milliseconds(300)) { http in
            sink.script("/stall", [.init(status: 200, body: #"{"errcode":0,"errmsg":"a reply that stops in the middle"}"#, bodyHeld: true)])
            #expect(await Self.post(http, sink.url("/stall")) == .timedOut)
            #expect(sink.requests(to: "/stall").count == 1)
            sink.release("/stall")
        }}
    }

    /// With the switch off, nothing is sent to a host that is or resolves
    /// to a private address: a name resolving to 127.0.0.1, IPv6 loopback,
    /// IPv4-mapped IPv6, metadata. The sink stays untouched; a request sent
    /// after them (allowed) arrives.
    @Test func privateAddressesAreRefusedAtSendTime() async throws {
        try await HTTPSink.with { sink in
            let port = try #require(URL(string: sink.base)?.port)
            try await Self.withHTTP(allowPrivateEndpoints: false) { http in
                let cases = [
                    ("http://localhost:\(port)/hook", "localhost resolves to 127.0.0.1, which is loopback"),
                    ("http://127.0.0.1:\(port)/hook", "127.0.0.1 is loopback"),
                    ("http://[::1]:\(port)/hook", "::1 is loopback"),
                    ("http://[::ffff:127.0.0.1]:\(port)/hook", "::ffff:127.0.0.1, which stands for 127.0.0.1, which is loopback"),
                    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is link-local"),
                    ("http://[fd00:ec2::254]/latest/meta-data/", "fd00:ec2::254 is unique local"),
                ]
                for (url, reason) in cases {
                    let exchange = await Self.post(http, url)
                    guard case .refused(let text) = exchange else { Issue.record("\(url): got \(exchange)"); continue }
                    #expect(text.hasPrefix("not a public address: ") && text.contains(reason), "\(url): \(text)")
                }
                let outcome = await WebhookSender(http: http)
                    .send(Self.message, to: ChannelTarget(endpoint: "http://localhost:\(port)/hook", secret: nil), now: Self.now)
                guard case .permanent(nil, let error) = outcome else { Issue.record("got \(outcome)"); return }
                #expect(error.contains("localhost resolves to 127.0.0.1"))
            }
            try await Self.withHTTP(allowPrivateEndpoints: true) { http in
                #expect(await Self.post(http, "http://localhost:\(port)/marker") == .response(status: 200, body: Data(#"{"errcode":0,"errmsg":"ok"}"#.utf8)))
            }
            #expect(sink.requests(to: "/marker").count == 1)
            #expect(sink.requests(to: "/hook").isEmpty)
        }
    }

    /// The client connects to the address the guard resolved and checked,
    /// never resolving again: `sink.example` exists only in this resolver,
    /// yet the request arrives, carrying its own host name.
    @Test func theCheckedAddressIsTheOneConnectedTo() async throws {
        try await HTTPSink.with { sink in
            let port = try #require(URL(string: sink.base)?.port)
            let resolver = FixedResolver(["sink.example": ["127.0.0.1"], "rebind.example": ["203.0.113.7", "127.0.0.1"]])
            try await Self.withHTTP(resolver: resolver) { http in
                #expect(await Self.post(http, "http://sink.example:\(port)/pinned") == .response(status: 200, body: Data(#"{"errcode":0,"errmsg":"ok"}"#.utf8)))
            }
            let request = try #require(sink.requests(to: "/pinned").first)
            #expect(request.authority == "sink.example:\(port)")
            #expect(resolver.lookups == ["sink.example"])
            // Every address of an answer is checked: one private among public ones refuses it.
            try await Self.withHTTP(allowPrivateEndpoints: false, resolver: resolver) { http in
                let exchange = await Self.post(http, "http://rebind.example:\(port)/rebound")
                #expect(exchange == .refused("not a public address: rebind.example resolves to 127.0.0.1, which is loopback"))
            }
            #expect(sink.requests(to: "/rebound").isEmpty)
        }
    }

    /// DNS can change: every send resolves again and connects to the new
    /// answer, not over a connection kept from the old one. The sink
    /// listens on 127.0.0.1 only, so once the name moves to 127.0.0.2 the
    /// send fails to connect.
    @Test func everySendResolvesAgain() async throws {
        try await HTTPSink.with { sink in
            let port = try #require(URL(string: sink.base)?.port)
            let resolver = FixedResolver(["moving.example": ["127.0.0.1"]])
            try await Self.withHTTP(resolver: resolver) { http in
                #expect(await Self.post(http, "http://moving.example:\(port)/first") == .response(status: 200, body: Data(#"{"errcode":0,"errmsg":"ok"}"#.utf8)))
                resolver.answer("moving.example", with: ["127.0.0.2"])
                #expect(await Self.post(http, "http://moving.example:\(port)/second") == .failed("connection refused"))
                resolver.answer("moving.example", with: ["127.0.0.1"])
                #expect(await Self.post(http, "http://moving.example:\(port)/third") == .response(status: 200, body: Data(#"{"errcode":0,"errmsg":"ok"}"#.utf8)))
            }
            #expect(resolver.lookups == ["moving.example", "moving.example", "moving.example"])
            #expect(sink.requests.map(\.path) == ["/first", "/third"])
        }
    }

    /// A request held by the sink ends when its task is cancelled (as the
    /// worker cancels sends at shutdown), without the sink answering.
    @Test func cancellingASendEndsIt() async throws {
        try await HTTPSink.with { sink in try await Self.withHTTP(timeout: .seconds(600)) { http in
            sink.script("/held", [.init(held: true)])
            let send = Task { await Self.post(http, sink.url("/held")) }
            #expect(try await eventually(timeout: .seconds(60)) { !sink.requests(to: "/held").isEmpty })
            send.cancel()
            #expect(await send.value == .failed("request cancelled"))
            sink.release("/held")
        }}
    }
}

/// Answers from a table (which a test may change), recording each lookup.
final class FixedResolver: HostResolving {
    private let table: Mutex<[String: [String]]>
    private let seen = Mutex<[String]>([])
    var lookups: [String] { seen.withLock { $0 } }

    init(_ table: [String: [String]]) { self.table = Mutex(table) }

    func answer(_ host: String, with addresses: [String]) { table.withLock { $0[host] = addresses } }

    func addresses(of host: String) async throws -> [IPAddress] {
        seen.withLock { $0.append(host) }
        guard let addresses = table.withLock({ $0[host] }) else { throw SystemHostResolver.ResolveError(code: -2) }
        return addresses.compactMap(IPAddress.init)
    }
}
