import Foundation
import Logging
import Postgres
import ServiceKit

/// The processes of one cross-process test: a private dev broker (so no
/// other test's events reach these services) and the services it launches,
/// each on a new database of its own and a free port, with their logs in
/// one folder. For tests and benchmarks of registry, notification, and the
/// services to come.
package final class ServiceWorld: @unchecked Sendable {
    package let broker: Process
    package let brokers: String
    package private(set) var processes: [String: Process] = [:]
    package private(set) var databases: [String: String] = [:]
    package private(set) var ports: [String: Int] = [:]
    package let signer: TokenSigner
    package let logDirectory: URL

    package static let logger: Logger = {
        var logger = Logger(label: "service-world")
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

    package static func start() async throws -> ServiceWorld {
        guard let bin = env["SJ_BIN_DIR"], let secret = env["SJ_JWT_SECRET"] else {
            throw TestSupportError("run the tests with `make test` (SJ_BIN_DIR, SJ_JWT_SECRET, SJ_TEST_DATABASE_URL)")
        }
        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("world-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let (broker, brokers) = try await startDevBroker(bin: URL(fileURLWithPath: bin), logDirectory: logs)
        return ServiceWorld(broker: broker, brokers: brokers, signer: TokenSigner(secret: try JWTSecret(secret)), logDirectory: logs)
    }

    /// Starts `service` (its executable's name) on its database (new the
    /// first time, kept for a restart) and port; waits until it is ready.
    package func launch(_ service: String, logLevel: String = "info", environment extra: [String: String] = [:]) async throws {
        let env = Self.env
        guard let bin = env["SJ_BIN_DIR"], let base = env["SJ_TEST_DATABASE_URL"] else { throw TestSupportError("SJ_BIN_DIR") }
        if databases[service] == nil {
            databases[service] = try await makeDatabase(from: base, prefix: "\(service)_", length: 12, logger: Self.logger).url
        }
        let port = try ports[service] ?? freePort()
        ports[service] = port
        var environment = env
        environment["SJ_DATABASE_URL"] = databases[service]
        environment["SJ_HTTP_PORT"] = "\(port)"
        environment["SJ_KAFKA_BROKERS"] = brokers
        environment["SJ_LOG_LEVEL"] = logLevel
        environment.merge(extra) { $1 }
        let log = logDirectory.appendingPathComponent("\(service).log")
        let process = try launchProcess(
            URL(fileURLWithPath: bin).appendingPathComponent(service), environment: environment, log: log, append: true)
        processes[service] = process
        try await waitUntilReady(service, process: process, log: log) {
            (try? await request(service, "GET", "/health/ready", token: nil))?.status == 200
        }
    }

    package func log(_ service: String) -> String {
        (try? String(contentsOf: logDirectory.appendingPathComponent("\(service).log"), encoding: .utf8)) ?? ""
    }

    package func pool(_ service: String) -> PostgresPool {
        PostgresPool(PostgresConfiguration(connectionString: databases[service] ?? "", poolSize: 2), logger: Self.logger)
    }

    package func kill(_ service: String, signal: Int32 = SIGKILL) async {
        guard let process = processes[service] else { return }
        Foundation.kill(process.processIdentifier, signal)
        let deadline = ContinuousClock.now + .seconds(20)
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
    }

    package func stop() {
        for process in processes.values where process.isRunning { process.terminate() }
        if broker.isRunning { broker.terminate() }
    }

    /// `stop`, waiting for every process to exit, then the databases dropped
    /// and the logs removed (a benchmark's clean-up; tests keep them).
    package func stopAndDrop() async {
        for process in Array(processes.values) + [broker] where process.isRunning {
            process.terminate()
            _ = await waitForExit(process, timeout: .seconds(30))
        }
        guard let base = Self.env["SJ_TEST_DATABASE_URL"] else { return }
        let admin = PostgresPool(PostgresConfiguration(connectionString: base, poolSize: 1), logger: Self.logger)
        for url in databases.values {
            let name = String(url[url.index(after: url.lastIndex(of: "/")!)...])
            _ = try? await admin.execute("DROP DATABASE IF EXISTS \(identifier: name) WITH (FORCE)")
        }
        await admin.close()
        try? FileManager.default.removeItem(at: logDirectory)
    }

    package func token(_ principal: Principal) throws -> String {
        try signer.sign(principal, ttl: .seconds(600))
    }

    /// A response (TestSupport's, with headers too).
    package typealias Response = ContractResponse

    package func request(_ service: String, _ method: String, _ path: String, token: String?, json: Any? = nil) async throws -> Response {
        try await ContractResponse.send(port: ports[service] ?? 0, method, path, token: token, json: json)
    }

    /// A request whose body is raw bytes (an upload).
    package func request(
        _ service: String, _ method: String, _ path: String, token: String?, body: Data, headers: [String: String] = [:]
    ) async throws -> Response {
        try await ContractResponse.send(port: ports[service] ?? 0, method, path, token: token, body: body, headers: headers)
    }
}
