import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Postgres
import TestSupport
import Testing
@testable import ServiceKit

/// Configuration as a real process meets it: checked before the database,
/// secrets from files, Kafka security reaching the clients.
@Suite struct ConfigurationProcessTests {
    @Test func aMissingServiceKeyStopsNotificationBeforeItTouchesTheDatabase() async throws {
        let environment = try TestEnvironment()
        let stderr = Pipe()
        // Nothing listens on port 1: a service that connected before checking
        // its configuration would fail on the database (exit 1), not with 78.
        let process = try await environment.launch(
            "notification", ["SJ_DATABASE_URL": "postgresql://shuangjian@127.0.0.1:1/shuangjian_notification"],
            removing: ["SJ_NOTIFICATION_SECRET_KEY", "SJ_NOTIFICATION_SECRET_KEY_FILE", "SJ_NOTIFICATION_SECRET_KEYS",
                       "SJ_NOTIFICATION_SECRET_KEYS_FILE"],
            stderr: stderr)
        #expect(await waitForExit(process, timeout: .seconds(30)))
        let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 78, "\(message)")
        #expect(message.contains("SJ_NOTIFICATION_SECRET_KEYS is missing"), "\(message)")
    }

    @Test func everyProblemIsReportedAtOnceCommonAndTheServicesOwn() async throws {
        let environment = try TestEnvironment()
        let stderr = Pipe()
        let process = try await environment.launch(
            "notification",
            [
                "SJ_DATABASE_URL": "postgresql://shuangjian@127.0.0.1:1/shuangjian_notification",
                "SJ_NOTIFICATION_SECRET_KEY": "too-short", "SJ_NOTIFICATION_MAX_IN_FLIGHT": "0", "SJ_KAFKA_LINGER": "5",
                "SJ_NOTIFICATION_ALLOW_PRIVATE_ENDPOINTS": "maybe",
                "SJ_JWT_SECRET_FILE": "/nonexistent/jwt",
            ],
            stderr: stderr)
        #expect(await waitForExit(process, timeout: .seconds(30)))
        let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 78, "\(message)")
        for expected in [
            "SJ_KAFKA_LINGER is not a known setting", "SJ_JWT_SECRET and SJ_JWT_SECRET_FILE are both set",
            "SJ_NOTIFICATION_SECRET_KEY is not usable", "SJ_NOTIFICATION_MAX_IN_FLIGHT must be",
            "SJ_NOTIFICATION_ALLOW_PRIVATE_ENDPOINTS=maybe is not true or false",
        ] {
            #expect(message.contains(expected), "\(expected) in \(message)")
        }
        #expect(!message.contains("too-short"), "a secret is never echoed")
    }

    @Test func tlsAgainstThePlaintextBrokerIsATLSErrorNamingTheBroker() async throws {
        let environment = try TestEnvironment()
        let brokers = try #require(ProcessInfo.processInfo.environment["SJ_KAFKA_BROKERS"])
        let logFile = FileManager.default.temporaryDirectory.appendingPathComponent("servicekit-tls-\(UUID()).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: logFile) }
        let port = 18_194
        let process = try await environment.launch(
            "scheduling",
            ["SJ_HTTP_PORT": "\(port)", "SJ_KAFKA_SECURITY_PROTOCOL": "ssl", "SJ_READY_TIMEOUT_MS": "3000", "SJ_LOG_LEVEL": "info"],
            stdout: try FileHandle(forWritingTo: logFile))
        defer { stop(process) }
        _ = try await waitForHTTP(URL(string: "http://127.0.0.1:\(port)/health/live")!, seconds: 60)
        let ready = try await TestClient.fetch(URL(string: "http://127.0.0.1:\(port)/health/ready")!)
        #expect(ready.status == 503)
        // The readiness log line carries librdkafka's reason, naming the broker.
        var failure: String?
        for _ in 0..<50 where failure == nil {
            let log = String(decoding: (try? Data(contentsOf: logFile)) ?? Data(), as: UTF8.self)
            failure = log.split(separator: "\n").map(String.init).first {
                $0.contains("readiness check failed") && $0.contains("\"check\":\"broker\"")
            }
            if failure == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        let line = try #require(failure)
        #expect(line.contains("SSL"), "\(line)")
        #expect(line.contains("ssl://\(brokers)"), "\(line)")
    }

    /// A role that must give its password (the local server trusts everyone
    /// else): a password with URL-special characters, from a file, merged
    /// into SJ_DATABASE_URL, logs in.
    @Test func aPasswordWithURLSpecialCharactersFromAFileLogsIn() async throws {
        let environment = try TestEnvironment()
        let logger = Logger(label: "servicekit-tests")
        let admin = PostgresPool(PostgresConfiguration(connectionString: environment.databaseURL, poolSize: 1), logger: logger)
        let role = "sjpw_" + UUID().uuidString.prefix(8).lowercased()
        let password = #"p@ss:w/rd?#%' x\ 密码"#
        // DDL takes no bound parameters: PostgreSQL itself quotes the name and
        // the password into the statement (format's %I and %L), from bound ones.
        let create = try await admin.query(
            "SELECT format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE password_login', \(role)::text, \(password)::text)")
        let statement: String = try create[0].decode(0)
        try await admin.withConnection { try await $0.executeScript(statement) }
        do {
            try await logIn(as: role, password: password, environment: environment, logger: logger)
        } catch {
            _ = try? await admin.execute("DROP ROLE IF EXISTS \(identifier: role)")
            await admin.close()
            throw error
        }
        _ = try await admin.execute("DROP ROLE IF EXISTS \(identifier: role)")
        await admin.close()
    }

    private func logIn(as role: String, password: String, environment: TestEnvironment, logger: Logger) async throws {
        let passwordFile = FileManager.default.temporaryDirectory.appendingPathComponent("sj-db-password-\(UUID())")
        try Data((password + "\n").utf8).write(to: passwordFile)
        defer { try? FileManager.default.removeItem(at: passwordFile) }
        let base = environment.databaseURL.replacingOccurrences(of: "postgresql://shuangjian@", with: "postgresql://\(role)@")
        func connect(_ file: URL) async throws {
            let config = try ServiceConfiguration.fromEnvironment(
                service: "registry", defaultPort: 8081,
                environment: ["SJ_JWT_SECRET": environment.secret, "SJ_DATABASE_URL": base, "SJ_DATABASE_PASSWORD_FILE": file.path])
            let pool = PostgresPool(PostgresConfiguration(connectionString: config.databaseURL, poolSize: 1), logger: logger)
            do {
                try await pool.ping()
            } catch {
                await pool.close()
                throw error
            }
            await pool.close()
        }
        try await connect(passwordFile)

        // And a wrong one does not: the server really asks for it.
        let wrongFile = FileManager.default.temporaryDirectory.appendingPathComponent("sj-db-wrong-\(UUID())")
        try Data("not-the-password".utf8).write(to: wrongFile)
        defer { try? FileManager.default.removeItem(at: wrongFile) }
        await #expect(throws: (any Error).self) { try await connect(wrongFile) }
    }
}
