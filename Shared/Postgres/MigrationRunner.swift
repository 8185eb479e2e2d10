import Foundation
import Logging

/// Applies pending migrations in version order, each in its own transaction,
/// recording them in `schema_migrations`. Runners sharing a database (replicas
/// starting together) take a session advisory lock, so each file runs once.
///
/// `schema`: when set, the schema is created if missing and both the
/// migrations and `schema_migrations` live there (`SET LOCAL search_path`);
/// when nil, the connection's default search_path is used.
public struct MigrationRunner: Sendable {
    public var pool: PostgresPool
    public var migrations: [Migration]
    public var lockKey: Int64
    public var schema: String?
    /// Where applied versions are recorded. A shared component (EventFlow)
    /// keeps its own history table, so its version numbers never clash with
    /// the service's.
    public var historyTable: String
    public var logger: Logger

    public init(
        pool: PostgresPool, migrations: [Migration], lockKey: Int64 = 7_300_001, schema: String? = nil,
        historyTable: String = "schema_migrations", logger: Logger
    ) {
        self.pool = pool
        self.migrations = migrations
        self.lockKey = lockKey
        self.schema = schema
        self.historyTable = historyTable
        self.logger = logger
    }

    /// The migrations applied by this call (empty when all were applied before).
    @discardableResult
    public func run() async throws -> [Migration] {
        let migrations = try Migration.sorted(self.migrations)
        return try await pool.withConnection { connection in
            // Session lock: waits (on the connection's own thread) for another runner to finish.
            try await connection.query("SELECT pg_advisory_lock(\(lockKey))")
            do {
                let applied = try await apply(migrations, on: connection)
                try await connection.query("SELECT pg_advisory_unlock(\(lockKey))")
                return applied
            } catch {
                await connection.rollbackIfNeeded()
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(lockKey))")
                throw error
            }
        }
    }

    private var table: String {
        let name = quoteIdentifier(historyTable)
        return schema.map { "\(quoteIdentifier($0)).\(name)" } ?? name
    }

    private func apply(_ migrations: [Migration], on connection: PostgresConnection) async throws -> [Migration] {
        if let schema {
            try await connection.executeScript("CREATE SCHEMA IF NOT EXISTS \(quoteIdentifier(schema))")
        }
        try await connection.executeScript("""
            CREATE TABLE IF NOT EXISTS \(table) (
                version int PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now())
            """)
        var recorded: [Int: (name: String, checksum: String)] = [:]
        for row in try await connection.query("SELECT version, name, checksum FROM \(unsafeRaw: table)") {
            let (version, name, checksum) = try row.decode((Int, String, String).self)
            recorded[version] = (name, checksum)
        }
        for migration in migrations {
            if let existing = recorded[migration.version], existing.checksum != migration.checksum {
                throw MigrationError.checksumMismatch(version: migration.version, name: migration.name)
            }
        }
        var appliedNow: [Migration] = []
        for migration in migrations where recorded[migration.version] == nil {
            logger.info("applying migration", metadata: ["migration": "\(migration.name)"])
            try await connection.executeScript("BEGIN")
            if let schema {
                try await connection.executeScript("SET LOCAL search_path TO \(quoteIdentifier(schema))")
            }
            try await connection.executeScript(migration.sql)
            try await connection.execute("""
                INSERT INTO \(unsafeRaw: table) (version, name, checksum)
                VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                """)
            try await connection.commit()
            appliedNow.append(migration)
        }
        return appliedNow
    }
}

/// `"name"` with embedded quotes doubled: safe to splice as an identifier.
func quoteIdentifier(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
