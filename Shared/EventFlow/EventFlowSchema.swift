import Foundation
import Logging
import Postgres

/// EventFlow's own tables (outbox, inbox), applied to a service's database
/// before the service's migrations. Their history lives in
/// `eventflow_migrations`, so the numbering is independent of the service's.
public enum EventFlowSchema {
    public static func migrations() throws -> [Migration] {
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw MissingResource(name: "EventFlow/Migrations")
        }
        return try Migration.load(from: folder)
    }

    @discardableResult
    public static func migrate(_ pool: PostgresPool, logger: Logger) async throws -> [Migration] {
        try await MigrationRunner(
            pool: pool, migrations: try migrations(), historyTable: "eventflow_migrations", logger: logger
        ).run()
    }
}

struct MissingResource: Error, CustomStringConvertible {
    var name: String
    var description: String { "bundle resource \(name) is missing from this build" }
}
