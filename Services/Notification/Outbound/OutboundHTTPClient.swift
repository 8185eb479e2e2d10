import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// The HTTP client of the outside channels, on AsyncHTTPClient:
///
/// - redirects are never followed (a 3xx is the answer: following a 307
///   would re-send the signed body wherever it points);
/// - the endpoint is checked before every request (`EndpointGuard`) and the
///   connection goes to the checked address (`PinnedClients`);
/// - one deadline bounds the whole exchange, connect to the reply's last byte;
/// - the reply body is read up to `maxReplyBytes`, the rest never;
/// - connections are pooled per host and kept alive between sends;
/// - cancelling the calling task cancels the request (the worker does so
///   at shutdown).
///
/// It owns its clients: as a ServiceLifecycle service it shuts them down at
/// graceful shutdown — added before the delivery worker, so it stops after it.
final class OutboundHTTPClient: OutboundHTTP, Service, Sendable {
    struct Configuration: Sendable {
        /// The whole exchange with one endpoint.
        var timeout: Duration = .seconds(15)
        /// Bytes of a reply that are read: enough for any robot's or gateway's
        /// answer; an error page beyond it is cut (only its start is kept anyway).
        var maxReplyBytes = 16 * 1024
        /// Connections kept per host (AsyncHTTPClient's soft limit): as many
        /// as the worker has sends in flight, so a burst to one host never queues for one.
        var maxConnectionsPerHost = 16
        var allowPrivateEndpoints = false
    }

    let configuration: Configuration
    private let endpointGuard: EndpointGuard
    private let clients: PinnedClients

    init(configuration: Configuration, resolver: any HostResolving = SystemHostResolver()) {
        self.configuration = configuration
        endpointGuard = EndpointGuard(allowPrivate: configuration.allowPrivateEndpoints, resolver: resolver)
        var client = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .nanoseconds(configuration.timeout.nanosecondsForMetrics)),
            connectionPool: .init(
                idleTimeout: .seconds(60),
                concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, configuration.maxConnectionsPerHost)),
            decompression: .disabled)
        // A refused connection fails the attempt at once: the delivery's own
        // backoff retries it, rather than the pool holding a worker slot until
        // the deadline.
        client.connectionPool.retryConnectionEstablishment = false
        // The services do not trace; a span per send would cost without use.
        client.tracing.tracer = nil
        clients = PinnedClients(configuration: client)
    }

    /// Runs until graceful shutdown, then shuts the clients down. The
    /// delivery worker stops before (it is added after this service).
    func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    func shutdown() async { await clients.shutdown() }

    func post(_ outbound: OutboundRequest) async -> HTTPExchange {
        let timeout = configuration.timeout
        do {
            return try await withDeadline(timeout) { try await self.exchange(outbound, deadline: .now() + .nanoseconds(timeout.nanosecondsForMetrics)) }
        } catch is DeadlineExceeded {
            return .timedOut
        } catch {
            return Self.classify(error)
        }
    }

    private func exchange(_ outbound: OutboundRequest, deadline: NIODeadline) async throws -> HTTPExchange {
        let (host, address): (String, IPAddress)
        switch await endpointGuard.check(outbound.url) {
        case .allowed(let checkedHost, let checkedAddress): (host, address) = (checkedHost, checkedAddress)
        case .refused(let reason): return .refused(reason)
        case .unresolvable(let reason): return .failed(reason.hasSuffix("host not found") ? "host not found" : "name resolution failed")
        }
        var request = HTTPClientRequest(url: outbound.url.absoluteString)
        request.method = .POST
        for (name, value) in outbound.headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: outbound.body))
        let maxReplyBytes = configuration.maxReplyBytes
        return try await clients.withClient(host: host, address: address) { client in
            let response = try await client.execute(request, deadline: deadline)
            var body = Data()
            for try await chunk in response.body {
                let room = maxReplyBytes - body.count
                body.append(contentsOf: chunk.readableBytesView.prefix(room))
                // Leaving the loop drops the rest; the connection is closed, not reused.
                if chunk.readableBytes >= room { break }
            }
            let status = Int(response.status.code)
            let location = (300..<400).contains(status) ? response.headers.first(name: "location") : nil
            return .response(status: status, body: body, location: location)
        }
    }

    /// A fixed phrase per kind of failure: errors' own texts may hold the URL.
    static func classify(_ error: any Error) -> HTTPExchange {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout,
                 .getConnectionFromPoolTimeout:
                return .timedOut
            case .cancelled, .alreadyShutdown: return .failed("request cancelled")
            case .remoteConnectionClosed: return .failed("connection lost")
            case .invalidURL, .emptyHost, .emptyScheme: return .failed("invalid endpoint URL")
            default: return .failed("HTTP client error")
            }
        }
        if error is CancellationError || error is PinnedClients.ShutDown { return .failed("request cancelled") }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED: return .failed("connection refused")
            case ECONNRESET, EPIPE: return .failed("connection lost")
            case ENETUNREACH, EHOSTUNREACH: return .failed("network unreachable")
            case ETIMEDOUT: return .timedOut
            default: return .failed("network error (errno \(error.errnoCode))")
            }
        }
        if error is NIOConnectionError { return .failed("connection refused") }
        if let error = error as? ChannelError, case .connectTimeout = error { return .timedOut }
        // NIOSSL's errors, named by module so this target needs no NIOSSL import.
        if String(reflecting: type(of: error)).hasPrefix("NIOSSL.") { return .failed("TLS handshake failed") }
        return .failed("network error")
    }
}
