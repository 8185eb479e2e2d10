import Audit
import Foundation
import Logging
import Postgres
import Testing
// Databases beside SJ_TEST_DATABASE_URL, free ports, processes, a private dev
// broker, the OpenAPI/AsyncAPI checker: shared with the other test targets.
@_exported import TestSupport

/// What the audit tests need from scripts/test.sh, and their shared helpers.
enum AuditEnv {
    static let logger: Logger = {
        var logger = Logger(label: "audit-tests")
        logger.logLevel = .warning
        return logger
    }()

    static func value(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw TestSupportError("\(name) is not set: run the tests with scripts/test.sh")
        }
        return value
    }

    static func binDirectory() throws -> URL { URL(fileURLWithPath: try value("SJ_BIN_DIR")) }

    /// A service name of this test alone: its heads' key on a shared topic.
    static func uniqueService() -> String { "audittest-\(UUID().uuidString.prefix(8).lowercased())" }

    static let actor = AuditActor(subject: "office-1", role: "office")
}

/// A new database with the audit tables, and a pool on it.
struct AuditDatabase {
    let url: String
    let pool: PostgresPool

    static func make(poolSize: Int = 4) async throws -> AuditDatabase {
        let (_, url) = try await makeDatabase(
            from: try AuditEnv.value("SJ_TEST_DATABASE_URL"), prefix: "audit_", length: 12, logger: AuditEnv.logger)
        let pool = PostgresPool(PostgresConfiguration(connectionString: url, poolSize: poolSize), logger: AuditEnv.logger)
        try await AuditSchema.migrate(pool, logger: AuditEnv.logger)
        return AuditDatabase(url: url, pool: pool)
    }

    /// `count` entries, one transaction each (so a head exists at every seq),
    /// on aggregates `unit-1`, `unit-2`, `unit-3` in turn; returns them.
    @discardableResult
    func append(_ count: Int, action: String = "cn.gov.fangxian.shuangjian.registry.unit.updated.v1",
                by actor: AuditActor = AuditEnv.actor, at: Date = Date()) async throws -> [AuditEntry] {
        var entries: [AuditEntry] = []
        for index in 0..<count {
            let record = AuditRecord(
                action: action, aggregateType: "unit", aggregateId: "unit-\(index % 3 + 1)",
                digesting: Array(#"{"n":\#(index)}"#.utf8))
            entries.append(try await pool.transaction { connection in
                try await AuditLog.append(record, by: actor, at: at, on: connection)
            })
        }
        return entries
    }

    /// Runs `sql` with audit_log's append-only trigger (and audit_chain's
    /// guard) disabled, as a superuser or the tables' owner could.
    func tamper(_ sql: String) async throws {
        try await pool.withConnection { connection in
            try await connection.executeScript("""
                BEGIN;
                ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
                ALTER TABLE audit_chain DISABLE TRIGGER audit_chain_forward_only;
                \(sql);
                ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;
                ALTER TABLE audit_chain ENABLE TRIGGER audit_chain_forward_only;
                COMMIT;
                """)
        }
    }

    /// What a careful forger does after changing entry `seq`: recomputes
    /// that entry's hash and every later one, and moves the chain head, so
    /// that the log is consistent with itself again.
    func rehash(from seq: Int64) async throws {
        var previous = AuditChainHash.genesis
        var all: [AuditEntry] = []
        try await pool.withConnection { connection in
            try await AuditLog.walk(on: connection) { batch in all += batch; return true }
        }
        var updates: [String] = []
        for var entry in all {
            if entry.seq >= seq {
                entry.hash = AuditChainHash.hash(previous: previous, entry: entry)
                updates.append("UPDATE audit_log SET hash = '\\x\(entry.hashHex)' WHERE seq = \(entry.seq)")
            }
            previous = entry.hash
        }
        if let last = all.last {
            updates.append("UPDATE audit_chain SET head_hash = '\\x\(Self.hex(previous))' WHERE head_seq = \(last.seq)")
        }
        try await tamper(updates.joined(separator: ";\n"))
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    func close() async { await pool.close() }
}

/// A head as the publisher would have published it for `entry` of chain `chainId`.
func publishedHead(_ service: String, chainId: UUID, entry: AuditEntry, at: Date = Date()) -> PublishedHead {
    PublishedHead(service: service, chainId: chainId, seq: entry.seq, hash: entry.hashHex, publishedAt: at)
}

/// Runs `body` with a private dev broker (`sjctl dev-broker` on free ports),
/// stopped afterwards whatever happens.
func withDevBroker<T>(_ body: (String) async throws -> T) async throws -> T {
    let logs = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
    let (broker, brokers) = try await startDevBroker(bin: try AuditEnv.binDirectory(), logDirectory: logs)
    do {
        let result = try await body(brokers)
        broker.terminate()
        return result
    } catch {
        broker.terminate()
        throw error
    }
}

/// `sjctl` run as a process: its exit status and its output (stdout and stderr together).
struct SjctlRun: CustomStringConvertible {
    var status: Int32
    var output: String

    var description: String { "exit \(status)\n\(output)" }

    static func run(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> SjctlRun {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("sjctl-\(UUID().uuidString.prefix(8)).log")
        var environment = ProcessInfo.processInfo.environment
        // The defaults must not leak in from the test run's environment unless a test asks.
        environment["SJ_DATABASE_URL"] = nil
        environment["SJ_KAFKA_BROKERS"] = nil
        environment.merge(extra) { $1 }
        let process = try launchProcess(
            try AuditEnv.binDirectory().appendingPathComponent("sjctl"), arguments: arguments, environment: environment, log: log)
        let deadline = ContinuousClock.now + .seconds(120)
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                process.terminate()
                throw TestSupportError("sjctl \(arguments.joined(separator: " ")) did not finish within 120 s")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: log)
        return SjctlRun(status: process.terminationStatus, output: output)
    }
}
