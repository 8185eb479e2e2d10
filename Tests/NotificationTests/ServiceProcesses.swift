import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Postgres
import ServiceKit

/// The processes of one cross-process notification test: a private broker
/// (so no other test's registry events reach this directory), a registry and
/// a notification service, each with its own new database.
final class ServiceWorld: @unchecked Sendable {
    let broker: Process
    let brokers: String
    var processes: [String: Process] = [:]
    var databases: [String: String] = [:]
    var ports: [String: Int] = [:]
    let signer: TokenSigner
    let logDirectory: URL

    static let logger: Logger = {
        var logger = Logger(label: "notification-tests")
        logger.logLevel = .warning
        return logger
    }()

    static var env: [String: String] { ProcessInfo.processInfo.environment }

    private init(broker: Process, brokers: String, signer: TokenSigner, logDirectory: URL) {
        self.broker = broker
        self.brokers = brokers
        self.signer = signer
        self.logDirectory = logDirectory
    }

    static func start() async throws -> ServiceWorld {
        guard let bin = env["SJ_BIN_DIR"], let secret = env["SJ_JWT_SECRET"] else {
            throw WorldError("run the tests with `make test` (SJ_BIN_DIR, SJ_JWT_SECRET, SJ_TEST_DATABASE_URL)")
        }
        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("world-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let port = try freePort(), control = try freePort()
        let broker = Process()
        broker.executableURL = URL(fileURLWithPath: bin).appendingPathComponent("sjctl")
        broker.arguments = ["dev-broker", "--port", "\(port)", "--control-port", "\(control)"]
        let brokerLog = logs.appendingPathComponent("broker.log")
        FileManager.default.createFile(atPath: brokerLog.path, contents: nil)
        broker.standardOutput = try FileHandle(forWritingTo: brokerLog)
        broker.standardError = broker.standardOutput
        try broker.run()
        let deadline = ContinuousClock.now + .seconds(30)
        while !((try? String(contentsOf: brokerLog, encoding: .utf8))?.contains("bootstrap ") ?? false) {
            guard ContinuousClock.now < deadline, broker.isRunning else { throw WorldError("the broker did not start; \(brokerLog.path)") }
            try await Task.sleep(for: .milliseconds(100))
        }
        return ServiceWorld(broker: broker, brokers: "127.0.0.1:\(port)", signer: TokenSigner(secret: try JWTSecret(secret)), logDirectory: logs)
    }

    /// Starts `service` (registry, notification) with a new database; waits until ready.
    func launch(_ service: String, environment extra: [String: String] = [:]) async throws {
        let env = Self.env
        guard let bin = env["SJ_BIN_DIR"], let base = env["SJ_TEST_DATABASE_URL"] else { throw WorldError("SJ_BIN_DIR") }
        if databases[service] == nil {
            let name = "\(service)_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
            let admin = PostgresPool(PostgresConfiguration(connectionString: base, poolSize: 1), logger: Self.logger)
            try await admin.execute("CREATE DATABASE \(identifier: name)")
            await admin.close()
            databases[service] = base[..<base.lastIndex(of: "/")!] + "/" + name
        }
        let port = try ports[service] ?? freePort()
        ports[service] = port
        let process = Process()
        process.executableURL = URL(fileURLWithPath: bin).appendingPathComponent(service)
        var environment = env
        environment["SJ_DATABASE_URL"] = databases[service]
        environment["SJ_HTTP_PORT"] = "\(port)"
        environment["SJ_KAFKA_BROKERS"] = brokers
        environment["SJ_LOG_LEVEL"] = "info"
        environment.merge(extra) { $1 }
        process.environment = environment
        let log = logDirectory.appendingPathComponent("\(service).log")
        if !FileManager.default.fileExists(atPath: log.path) { FileManager.default.createFile(atPath: log.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        processes[service] = process
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let response = try? await request(service, "GET", "/health/ready", token: nil), response.status == 200 { return }
            guard process.isRunning else { throw WorldError("\(service) exited at start; \(log.path)") }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw WorldError("\(service) not ready within 60 s; \(log.path)")
    }

    func log(_ service: String) -> String {
        (try? String(contentsOf: logDirectory.appendingPathComponent("\(service).log"), encoding: .utf8)) ?? ""
    }

    func pool(_ service: String) -> PostgresPool {
        PostgresPool(PostgresConfiguration(connectionString: databases[service] ?? "", poolSize: 2), logger: Self.logger)
    }

    func kill(_ service: String, signal: Int32 = SIGKILL) async {
        guard let process = processes[service] else { return }
        Foundation.kill(process.processIdentifier, signal)
        let deadline = ContinuousClock.now + .seconds(20)
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
    }

    func stop() {
        for process in processes.values where process.isRunning { process.terminate() }
        if broker.isRunning { broker.terminate() }
    }

    func token(_ principal: Principal) throws -> String {
        try signer.sign(principal, ttl: .seconds(600))
    }

    struct Response: Sendable {
        var status: Int
        var body: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    func request(_ service: String, _ method: String, _ path: String, token: String?, json: Any? = nil) async throws -> Response {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(ports[service] ?? 0)\(path)")!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return Response(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: data)
    }
}

struct WorldError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var size = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, size) == 0 && getsockname(fd, $0, &size) == 0 }
    }
    guard bound else { throw WorldError("no free port") }
    return Int(UInt16(bigEndian: address.sin_port))
}

func eventually(seconds: Int, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(200))
    }
    return try await condition()
}
