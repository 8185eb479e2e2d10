import Foundation
import Testing
import Logging
import Postgres
import ServiceKit
// The contract checker, ports, databases and process launching shared with
// RegistryTests and NotificationBench (test targets cannot import each other);
// exported to every file of this target.
@_exported import TestSupport

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
        let (broker, brokers) = try await startDevBroker(bin: URL(fileURLWithPath: bin), logDirectory: logs)
        return ServiceWorld(broker: broker, brokers: brokers, signer: TokenSigner(secret: try JWTSecret(secret)), logDirectory: logs)
    }

    /// Starts `service` (registry, notification) with a new database; waits until ready.
    func launch(_ service: String, environment extra: [String: String] = [:]) async throws {
        let env = Self.env
        guard let bin = env["SJ_BIN_DIR"], let base = env["SJ_TEST_DATABASE_URL"] else { throw WorldError("SJ_BIN_DIR") }
        if databases[service] == nil {
            databases[service] = try await makeDatabase(from: base, prefix: "\(service)_", length: 12, logger: Self.logger).url
        }
        let port = try ports[service] ?? freePort()
        ports[service] = port
        var environment = env
        environment["SJ_DATABASE_URL"] = databases[service]
        environment["SJ_HTTP_PORT"] = "\(port)"
        environment["SJ_KAFKA_BROKERS"] = brokers
        environment["SJ_LOG_LEVEL"] = "info"
        environment.merge(extra) { $1 }
        let log = logDirectory.appendingPathComponent("\(service).log")
        let process = try launchProcess(
            URL(fileURLWithPath: bin).appendingPathComponent(service), environment: environment, log: log, append: true)
        processes[service] = process
        try await waitUntilReady(service, process: process, log: log) {
            (try? await request(service, "GET", "/health/ready", token: nil))?.status == 200
        }
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

    /// A response (TestSupport's, with headers too).
    typealias Response = ContractResponse

    func request(_ service: String, _ method: String, _ path: String, token: String?, json: Any? = nil) async throws -> Response {
        try await ContractResponse.send(port: ports[service] ?? 0, method, path, token: token, json: json)
    }
}

struct WorldError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func eventually(seconds: Int, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(200))
    }
    return try await condition()
}

extension ServiceWorld {
    /// Creates a person in the registry (as the office) and waits until the
    /// notification service's directory knows them; returns their id.
    func createPerson(name: String, unit: String) async throws -> String {
        let office = Principal(subject: "office-1", role: .office)
        let created = try await request("registry", "POST", "/v1/people", token: try token(office),
                                        json: ["name": name, "unitId": unit, "channels": ["mobile": "13800000001"]])
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(created.json["id"] as? String)
        let directory = pool("notification")
        #expect(try await eventually(seconds: 60) {
            try await directory.query("SELECT count(*)::int FROM directory_people WHERE id = \(UUID(uuidString: id)!)")[0]
                .decode(0, as: Int.self) == 1
        }, "the directory learns \(name)")
        await directory.close()
        return id
    }
}
