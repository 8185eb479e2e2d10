import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization
@testable import ServiceKit

/// Runs a router on a real HTTP server on an ephemeral port in this process,
/// for as long as `body` runs. Real HTTP (not Hummingbird's router test
/// framework) so headers, status and content types are what a client sees,
/// and no extra dependencies are built.
enum TestServer {
    static let secret = try! JWTSecret("test-secret-test-secret-test-secret-0001")

    static func run<T: Sendable>(
        _ router: Router<ServiceRequestContext>, logs: LogCapture? = nil,
        _ body: @Sendable (TestClient) async throws -> T
    ) async throws -> T {
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let logger = logs.map { capture in Logger(label: "test") { _ in capture.handler() } } ?? {
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            return logger
        }()
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw TestSetupError("the server did not start") }
            do {
                let value = try await body(TestClient(base: URL(string: "http://127.0.0.1:\(port)")!))
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return value
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
        }
    }

    static func token(_ role: Principal.Role, unit: String? = nil) throws -> String {
        try TokenSigner(secret: secret).sign(Principal(subject: "tester", role: role, unitId: unit), ttl: .seconds(600))
    }
}

struct TestClient: Sendable {
    let base: URL

    struct Reply: Sendable {
        var status: Int
        var headers: [String: String]
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? {
            headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
        func json() throws -> [String: Any] {
            try JSONSerialization.jsonObject(with: body) as? [String: Any] ?? [:]
        }
    }

    func get(_ path: String, headers: [String: String] = [:]) async throws -> Reply {
        try await send("GET", path, headers: headers)
    }

    func send(_ method: String, _ path: String, headers: [String: String] = [:], body: String? = nil) async throws -> Reply {
        try await Self.fetch(URL(string: base.absoluteString + path)!, method: method, headers: headers, body: body)
    }

    static func fetch(
        _ url: URL, method: String = "GET", headers: [String: String] = [:], body: String? = nil
    ) async throws -> Reply {
        var request = URLRequest(url: url)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields { fields["\(name)"] = "\(value)" }
        return Reply(status: http.statusCode, headers: fields, body: data)
    }
}

/// Collects log records in memory so tests can look at what was logged.
final class LogCapture: Sendable {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let storage = Mutex<[Record]>([])
    var records: [Record] { storage.withLock { $0 } }

    func handler() -> some LogHandler { Handler(capture: self) }

    fileprivate func append(_ record: Record) { storage.withLock { $0.append(record) } }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            capture.append(
                Record(
                    level: event.level, message: "\(event.message)",
                    metadata: merged.mapValues { "\($0)" }))
        }
    }
}
