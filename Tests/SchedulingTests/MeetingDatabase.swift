import Directory
import Foundation
import Logging
import Postgres
import ServiceKit
import TestSupport

@testable import Scheduling

/// A fresh database of its own for one meetings test (from
/// SJ_TEST_DATABASE_URL, as `scripts/test.sh` sets it), with EventFlow's and
/// the audit log's tables and the scheduling service's migrations applied.
final class MeetingDatabase: Sendable {
    let pool: PostgresPool
    let name: String
    private let base: String

    static var isConfigured: Bool { ProcessInfo.processInfo.environment["SJ_TEST_DATABASE_URL"] != nil }

    static let logger: Logger = {
        var logger = Logger(label: "meeting-tests")
        logger.logLevel = .warning
        return logger
    }()

    /// Services/Scheduling/Migrations in the source tree.
    static var migrationsFolder: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Services/Scheduling/Migrations")
    }

    /// The directory's tables, applied before the service's migrations as the service does.
    static let directory = ModuleSchema(name: "directory") { pool, logger in
        _ = try await DirectorySchema.migrate(pool, logger: logger)
    }

    private init(pool: PostgresPool, name: String, base: String) {
        self.pool = pool
        self.name = name
        self.base = base
    }

    struct NotConfigured: Error {}

    /// Runs `body` with a fresh database, dropping it afterwards.
    static func with<T: Sendable>(_ body: (MeetingDatabase) async throws -> T) async throws -> T {
        guard let base = ProcessInfo.processInfo.environment["SJ_TEST_DATABASE_URL"] else { throw NotConfigured() }
        let (name, url) = try await makeDatabase(from: base, prefix: "meetings_", logger: logger)
        let pool = PostgresPool(PostgresConfiguration(connectionString: url, poolSize: 4), logger: logger)
        let database = MeetingDatabase(pool: pool, name: name, base: base)
        do {
            try await ServiceSchema.migrate(pool, modules: [directory], serviceMigrations: migrationsFolder, logger: logger)
            let value = try await body(database)
            await database.drop()
            return value
        } catch {
            await database.drop()
            throw error
        }
    }

    func drop() async {
        await pool.close()
        let admin = PostgresPool(PostgresConfiguration(connectionString: base, poolSize: 1), logger: Self.logger)
        _ = try? await admin.execute("DROP DATABASE IF EXISTS \(identifier: name) WITH (FORCE)")
        await admin.close()
    }

    /// The outbox's events of `type`, in order, as JSON objects.
    func events(_ type: String) async throws -> [[String: Any]] {
        try await pool.query("SELECT payload::text FROM outbox WHERE type = \(type) ORDER BY seq").map {
            try JSONSerialization.jsonObject(with: Data(try $0.decode(0, as: String.self).utf8)) as? [String: Any] ?? [:]
        }
    }
}
