import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A tiny HTTP server on an ephemeral port in this process, standing in for
/// webhooks, robots and SMS gateways: it records every request and answers
/// from a script per path (status, body, optional delay), falling back to
/// 200 `{"errcode":0}` when the script runs out.
final class HTTPSink: Sendable {
    struct Request: Sendable {
        var path: String
        var query: String
        /// The request's `Host` (HTTP/1) or `:authority`.
        var authority: String?
        var headers: [String: String]
        var body: Data
        var at: ContinuousClock.Instant

        func header(_ name: String) -> String? {
            headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var text: String { String(decoding: body, as: UTF8.self) }
        /// Query parameters, percent-decoded.
        var parameters: [String: String] {
            var result: [String: String] = [:]
            for pair in query.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { continue }
                result[parts[0]] = parts[1].removingPercentEncoding ?? parts[1]
            }
            return result
        }
    }

    struct Reply: Sendable {
        var status: Int = 200
        var body: String = #"{"errcode":0,"errmsg":"ok"}"#
        var delay: Duration? = nil
        /// Held unanswered until the test calls `release(path)`: an endpoint
        /// that hangs for exactly as long as the test needs, no clock involved.
        var held: Bool = false
        /// Extra response headers (a redirect's `Location`).
        var headers: [String: String] = [:]
        /// The status line, headers and the first half of the body go out at
        /// once; the rest waits for `release(path)` — a reply that stalls midway.
        var bodyHeld: Bool = false
        /// `{echo}` in `body` becomes the request's query and headers (JSON-escaped),
        /// like a receiver that quotes what it got in its error message.
        static func echoing(status: Int, _ body: String) -> Reply { Reply(status: status, body: body) }
    }

    private struct State {
        var requests: [Request] = []
        var scripts: [String: [Reply]] = [:]
        var released: Set<String> = []
        var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]
    }
    private let state = Mutex(State())
    let base: String

    private init(base: String) { self.base = base }

    var requests: [Request] { state.withLock { $0.requests } }
    func requests(to path: String) -> [Request] { requests.filter { $0.path == path } }

    /// Replies for `path`, used in order.
    func script(_ path: String, _ replies: [Reply]) {
        state.withLock { $0.scripts[path, default: []].append(contentsOf: replies) }
    }

    func url(_ path: String) -> String { base + path }

    /// Answers every held request to `path`, now and later.
    func release(_ path: String) {
        let waiting = state.withLock { state in
            state.released.insert(path)
            return state.waiting.removeValue(forKey: path) ?? []
        }
        for continuation in waiting { continuation.resume() }
    }

    /// Answers every held request, so the sink can stop.
    private func releaseAll() {
        let paths = state.withLock { Array($0.waiting.keys) }
        for path in paths { release(path) }
    }

    private func waitForRelease(_ path: String) async {
        await withCheckedContinuation { continuation in
            let now = state.withLock { state in
                if state.released.contains(path) { return true }
                state.waiting[path, default: []].append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    private func handle(path: String, query: String, authority: String?, headers: [String: String], body: Data) -> Reply {
        state.withLock { state in
            state.requests.append(Request(path: path, query: query, authority: authority, headers: headers, body: body, at: .now))
            if var replies = state.scripts[path], !replies.isEmpty {
                let reply = replies.removeFirst()
                state.scripts[path] = replies
                return reply
            }
            return Reply()
        }
    }

    /// Runs a sink for as long as `body` runs.
    static func with<T: Sendable>(_ body: @Sendable (HTTPSink) async throws -> T) async throws -> T {
        let sinkBox = Mutex<HTTPSink?>(nil)
        let router = Router()
        router.post("**") { request, _ -> Response in
            let buffer = try await request.body.collect(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            guard let sink = sinkBox.withLock({ $0 }) else { return Response(status: .serviceUnavailable) }
            let reply = sink.handle(
                path: request.uri.path, query: request.uri.query ?? "", authority: request.head.authority, headers: headers,
                body: Data(buffer.readableBytesView))
            if let delay = reply.delay { try? await Task.sleep(for: delay) }
            if reply.held { await sink.waitForRelease(request.uri.path) }
            var text = reply.body
            if text.contains("{echo}") {
                let echo = (request.uri.query ?? "") + " " + headers.map { "\($0.key): \($0.value)" }.sorted().joined(separator: " ")
                let escaped = String(decoding: try JSONEncoder().encode(echo), as: UTF8.self).dropFirst().dropLast()
                text = text.replacingOccurrences(of: "{echo}", with: String(escaped))
            }
            var fields: HTTPFields = [.contentType: "application/json"]
            for (name, value) in reply.headers {
                if let field = HTTPField.Name(name) { fields[field] = value }
            }
            guard reply.bodyHeld else {
                return Response(
                    status: HTTPResponse.Status(code: reply.status), headers: fields,
                    body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
            }
            let bytes = Array(text.utf8)
            let path = request.uri.path
            return Response(
                status: HTTPResponse.Status(code: reply.status), headers: fields,
                body: ResponseBody(contentLength: bytes.count) { writer in
                    try await writer.write(ByteBuffer(bytes: bytes.prefix(bytes.count / 2)))
                    await sink.waitForRelease(path)
                    try await writer.write(ByteBuffer(bytes: bytes.dropFirst(bytes.count / 2)))
                    try await writer.finish(nil)
                })
        }
        return try await LocalHTTPServer.run(router) { port in
            let sink = HTTPSink(base: "http://127.0.0.1:\(port)")
            sinkBox.withLock { $0 = sink }
            // Held requests are answered before the server stops, or it would wait for them.
            defer { sink.releaseAll() }
            return try await body(sink)
        }
    }
}
