import Foundation
import Logging
import Postgres

/// The audit log's tables (`audit_log`, `audit_chain`), applied to a
/// service's database right after EventFlow's and before the service's own
/// migrations. Their history lives in `audit_migrations`, so the numbering is
/// independent of the service's and EventFlow's.
public enum AuditSchema {
    public static func migrations() throws -> [Migration] {
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw AuditError.missingResource("Audit/Migrations")
        }
        return try Migration.load(from: folder)
    }

    @discardableResult
    public static func migrate(_ pool: PostgresPool, logger: Logger) async throws -> [Migration] {
        try await MigrationRunner(
            pool: pool, migrations: try migrations(), historyTable: "audit_migrations", logger: logger
        ).run()
    }
}
