import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Postgres
import ServiceKit
import Testing

/// A registry process of its own — its own database, a free port — for
/// tests across processes, plus an HTTP client that signs tokens.
final class RegistryProcess: @unchecked Sendable {
    let process: Process
    let port: Int
    let database: String
    let pool: PostgresPool
    let signer: TokenSigner

    static let logger: Logger = {
        var logger = Logger(label: "registry-tests")
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

    static func start() async throws -> RegistryProcess {
        let env = ProcessInfo.processInfo.environment
        guard let bin = env["SJ_BIN_DIR"], let base = env["SJ_TEST_DATABASE_URL"], let brokers = env["SJ_KAFKA_BROKERS"],
              let secret = env["SJ_JWT_SECRET"]
        else { throw RegistryTestError("run the tests with `make test` (SJ_BIN_DIR, SJ_TEST_DATABASE_URL, SJ_KAFKA_BROKERS, SJ_JWT_SECRET)") }
        let name = "registry_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let admin = PostgresPool(PostgresConfiguration(connectionString: base, poolSize: 1), logger: logger)
        try await admin.execute("CREATE DATABASE \(identifier: name)")
        await admin.close()
        let database = base[..<base.lastIndex(of: "/")!] + "/" + name
        let port = try freePort()

        let process = Process()
        process.executableURL = URL(fileURLWithPath: bin).appendingPathComponent("registry")
        var environment = env
        environment["SJ_DATABASE_URL"] = database
        environment["SJ_HTTP_PORT"] = "\(port)"
        environment["SJ_LOG_LEVEL"] = "warning"
        process.environment = environment
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("registry-\(name).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = process.standardOutput
        try process.run()

        let registry = RegistryProcess(process: process, port: port, database: database, signer: TokenSigner(secret: try JWTSecret(secret)))
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let response = try? await registry.request("GET", "/health/ready", as: nil), response.status == 200 { return registry }
            guard process.isRunning else { throw RegistryTestError("registry exited at start; log: \(log.path)") }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw RegistryTestError("registry not ready within 60 s; log: \(log.path)")
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
            case .unit(let id): Principal(subject: "liaison-\(id)", role: .unit, unitID: id)
            }
        }
    }

    struct Response: Sendable {
        var status: Int
        var headers: [String: String]
        var body: Data

        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

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

    /// Rows in a table of the registry's database.
    func count(_ table: String) async throws -> Int {
        try await pool.query("SELECT count(*)::int FROM \(identifier: table)")[0].decode(0, as: Int.self)
    }
}

struct RegistryTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A port the kernel just gave out, released for the registry to bind.
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var size = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, size) == 0 && getsockname(fd, $0, &size) == 0 }
    }
    guard bound else { throw RegistryTestError("no free port") }
    return Int(UInt16(bigEndian: address.sin_port))
}
