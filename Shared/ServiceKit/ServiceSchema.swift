import Audit
import EventFlow
import Foundation
import Logging
import Postgres

/// What every service's database holds, migrated in one order: EventFlow's
/// tables (outbox, inbox, idempotency keys), then the audit log's
/// (audit_log, audit_chain), then the shared modules' the service links
/// (`ModuleSchema`, e.g. the directory), then the service's own numbered
/// files. Each set keeps its own history table, so their version numbers
/// never clash.
/// ServiceBootstrap runs it before anything else; tests that build a
/// service's database run the same.
public enum ServiceSchema {
    /// The service's own migrations applied by this call.
    @discardableResult
    public static func migrate(
        _ pool: PostgresPool, modules: [ModuleSchema] = [], serviceMigrations folder: URL?, logger: Logger
    ) async throws -> [Migration] {
        try await EventFlowSchema.migrate(pool, logger: logger)
        try await AuditSchema.migrate(pool, logger: logger)
        for module in modules { try await module.migrate(pool, logger) }
        guard let folder else { return [] }
        return try await MigrationRunner(pool: pool, migrations: try Migration.load(from: folder), logger: logger).run()
    }
}

/// A shared module's tables (e.g. `Shared/Directory`), migrated with their
/// own history before the service's migrations, which may reference them.
public struct ModuleSchema: Sendable {
    public var name: String
    public var migrate: @Sendable (PostgresPool, Logger) async throws -> Void

    public init(name: String, migrate: @escaping @Sendable (PostgresPool, Logger) async throws -> Void) {
        self.name = name
        self.migrate = migrate
    }
}
