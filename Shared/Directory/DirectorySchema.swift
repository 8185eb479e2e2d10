import Foundation
import Logging
import Postgres

/// The directory's tables, in the `directory` schema of a service's
/// database, with their own history (`directory.schema_migrations`), so the
/// module's numbering is independent of the service's. A service lists it in
/// its `ServiceDescriptor.moduleSchemas`; `ServiceSchema` applies it after
/// EventFlow's and the audit log's tables and before the service's own
/// migrations, which may therefore reference `directory.units`.
public enum DirectorySchema {
    /// The PostgreSQL schema the directory's tables live in.
    public static let schema = "directory"

    public static func migrations() throws -> [Migration] {
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw DirectoryError("bundle resource Directory/Migrations is missing from this build")
        }
        return try Migration.load(from: folder)
    }

    /// Applies the directory's pending migrations; returns those applied.
    @discardableResult
    public static func migrate(_ pool: PostgresPool, logger: Logger) async throws -> [Migration] {
        try await MigrationRunner(pool: pool, migrations: try migrations(), schema: schema, logger: logger).run()
    }
}

/// A directory failure that is not PostgreSQL's.
public struct DirectoryError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
