import EventFlow
import Foundation
import Postgres

/// Databases of a test's own, beside scripts/test.sh's test database, so
/// tests running in parallel never see each other's outbox.
enum CtlDatabases {
    /// A new empty database; returns its connection string.
    static func make() async throws -> String {
        let base = try CtlEnv.testDatabaseURL()
        let name = "ctltest_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let admin = PostgresPool(PostgresConfiguration(connectionString: base, poolSize: 1), logger: CtlEnv.logger)
        try await admin.execute("CREATE DATABASE \(identifier: name)")
        await admin.close()
        guard let slash = base.lastIndex(of: "/") else { throw CtlEnv.Missing(description: "unexpected URL \(base)") }
        return base[..<slash] + "/" + name
    }

    /// A new database with EventFlow's tables (outbox, inbox), as a service's is after its first start.
    static func makeMigrated() async throws -> String {
        let url = try await make()
        let pool = pool(url)
        _ = try await EventFlowSchema.migrate(pool, logger: CtlEnv.logger)
        await pool.close()
        return url
    }

    static func pool(_ url: String) -> PostgresPool {
        PostgresPool(PostgresConfiguration(connectionString: url, poolSize: 2), logger: CtlEnv.logger)
    }
}

extension PostgresPool {
    func count(_ query: PostgresQuery) async throws -> Int {
        try await self.query(query)[0].decode(0, as: Int.self)
    }
}
