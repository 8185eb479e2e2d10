import Directory
import Domain
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Kafka
import Logging
import Postgres
import ServiceKit
import Testing
// The contract checker, ports, databases and process launching shared with
// the other service tests (test targets cannot import each other).
@_exported import TestSupport

/// A scheduling process of its own — its own database, a free port — for
/// tests across processes, plus an HTTP client that signs tokens.
final class SchedulingProcess: @unchecked Sendable {
    let process: Process
    let port: Int
    let database: String
    let pool: PostgresPool
    let signer: TokenSigner

    static let logger: Logger = {
        var logger = Logger(label: "scheduling-tests")
        logger.logLevel = .warning
        return logger
    }()

    private init(process: Process, port: Int, database: String, signer: TokenSigner) {
        self.process = process
        self.port = port
        self.database = database
        self.pool = PostgresPool(PostgresConfiguration(connectionString: database, poolSize: 2), logger: Self.logger)
        self.signer = signer
    }

    /// A new process on a new database, or, given `database`, a second
    /// process on that one (two scheduling processes sharing their timers).
    static func start(environment extra: [String: String] = [:], database shared: String? = nil) async throws -> SchedulingProcess {
        let env = ProcessInfo.processInfo.environment
        guard let bin = env["SJ_BIN_DIR"], let base = env["SJ_TEST_DATABASE_URL"], env["SJ_KAFKA_BROKERS"] != nil,
              let secret = env["SJ_JWT_SECRET"]
        else { throw SchedulingTestError("run the tests with `make test` (SJ_BIN_DIR, SJ_TEST_DATABASE_URL, SJ_KAFKA_BROKERS, SJ_JWT_SECRET)") }
        let (name, database) = if let shared {
            ("second-\(UUID().uuidString.prefix(8))", shared)
        } else {
            try await makeDatabase(from: base, prefix: "scheduling_", logger: logger)
        }
        let port = try freePort()

        var environment = env
        environment["SJ_DATABASE_URL"] = database
        environment["SJ_HTTP_PORT"] = "\(port)"
        environment["SJ_LOG_LEVEL"] = "warning"
        for (name, value) in extra { environment[name] = value }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("scheduling-\(name).log")
        let process = try launchProcess(
            URL(fileURLWithPath: bin).appendingPathComponent("scheduling"), environment: environment, log: log)

        let scheduling = SchedulingProcess(process: process, port: port, database: database, signer: TokenSigner(secret: try JWTSecret(secret)))
        try await waitUntilReady("scheduling", process: process, log: log) {
            (try? await scheduling.request("GET", "/health/ready", as: nil))?.status == 200
        }
        try await scheduling.seedDirectory(units)
        return scheduling
    }

    /// For `defer`: a test that fails early must not leave its process behind.
    func kill() {
        if process.isRunning { process.terminate() }
    }

    func stop() async {
        process.terminate()
        let deadline = ContinuousClock.now + .seconds(20)
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        await pool.close()
    }

    enum As {
        case office, convener, countySystem, ops
        case unit(String)

        var principal: Principal {
            switch self {
            case .office: Principal(subject: "office-1", role: .office)
            case .convener: Principal(subject: "convener-1", role: .convener)
            case .countySystem: Principal(subject: "county-1", role: .countySystem)
            case .ops: Principal(subject: "ops-1", role: .ops)
            case .unit(let id): Principal(subject: "liaison-\(id)", role: .unit, unitId: id)
            }
        }
    }

    /// A response with its headers (names in lower case).
    typealias Response = ContractResponse

    /// `as: nil` sends no token.
    func request(_ method: String, _ path: String, as who: As?, json: Any? = nil, raw: String? = nil,
                 headers: [String: String] = [:]) async throws -> Response {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        if let who {
            request.setValue("Bearer \(try signer.sign(who.principal, ttl: .seconds(600)))", forHTTPHeaderField: "Authorization")
        }
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        } else if let raw {
            request.httpBody = Data(raw.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields { fields["\(name)".lowercased()] = "\(value)" }
        return Response(status: http.statusCode, headers: fields, body: data)
    }

    /// Puts units in the service's directory as the registry's events would,
    /// for a test that runs the scheduling service without the registry.
    func seedDirectory(_ units: [String: String]) async throws {
        try await pool.transaction { connection in
            for (id, name) in units.sorted(by: { $0.key < $1.key }) {
                _ = try await DirectoryStore.upsert(DirectoryUnit(id: id, name: name, version: 1), at: Date(), on: connection)
            }
        }
    }

    static let units = [
        "civil-affairs-bureau": "县民政局", "education-bureau": "县教育局", "market-regulation-bureau": "县市场监管局",
    ]

    /// Rows in a table of the service's database.
    func count(_ table: String) async throws -> Int {
        try await pool.query("SELECT count(*)::int FROM \(identifier: table)")[0].decode(0, as: Int.self)
    }
}

struct SchedulingTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

