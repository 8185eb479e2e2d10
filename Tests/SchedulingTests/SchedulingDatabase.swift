import Directory
import Foundation
import Logging
import Postgres
import ServiceKit
import Synchronization

/// A fresh database of its own for one test (from SJ_TEST_DATABASE_URL, as
/// `scripts/test.sh` sets it), with EventFlow's and the audit tables and the
/// scheduling service's migrations applied; dropped afterwards.
final class SchedulingDatabase: Sendable {
    let pool: PostgresPool
    let name: String
    private let base: String

    static var migrationsFolder: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Services/Scheduling/Migrations")
    }

    private init(pool: PostgresPool, name: String, base: String) {
        self.pool = pool
        self.name = name
        self.base = base
    }

    /// Runs `body` with a fresh database, dropping it afterwards.
    static func with<T: Sendable>(_ body: (SchedulingDatabase) async throws -> T) async throws -> T {
        guard let base = ProcessInfo.processInfo.environment["SJ_TEST_DATABASE_URL"] else {
            throw SchedulingTestError("run the tests with scripts/test.sh (SJ_TEST_DATABASE_URL)")
        }
        let logger = SchedulingProcess.logger
        let (name, url) = try await makeDatabase(from: base, prefix: "scheduling_", logger: logger)
        let pool = PostgresPool(PostgresConfiguration(connectionString: url, poolSize: 4), logger: logger)
        try await ServiceSchema.migrate(
            pool, modules: [ModuleSchema(name: "directory") { pool, logger in try await DirectorySchema.migrate(pool, logger: logger) }],
            serviceMigrations: migrationsFolder, logger: logger)
        let database = SchedulingDatabase(pool: pool, name: name, base: base)
        do {
            let result = try await body(database)
            await database.drop()
            return result
        } catch {
            await database.drop()
            throw error
        }
    }

    private func drop() async {
        await pool.close()
        let admin = PostgresPool(PostgresConfiguration(connectionString: base, poolSize: 1), logger: SchedulingProcess.logger)
        _ = try? await admin.execute("DROP DATABASE IF EXISTS \(identifier: name) WITH (FORCE)")
        await admin.close()
    }

    func count(_ sql: PostgresQuery) async throws -> Int {
        try await pool.query(sql)[0].decode(0, as: Int.self)
    }
}

/// A clock the test moves.
final class TestClock: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date) { current = Mutex(start) }
    func now() -> Date { current.withLock { $0 } }
    func set(_ date: Date) { current.withLock { $0 = date } }
    var function: @Sendable () -> Date { { [self] in self.now() } }
}
