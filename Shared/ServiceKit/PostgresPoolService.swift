import Postgres
import ServiceLifecycle

/// Keeps a service's connection pool open for as long as the service runs and
/// closes it last: ServiceGroup stops services in reverse order, so listing this
/// before the HTTP server means in-flight requests finish before the pool goes.
public struct PostgresPoolService: Service {
    public let pool: PostgresPool

    public init(pool: PostgresPool) { self.pool = pool }

    public func run() async throws {
        try? await gracefulShutdown()
        await pool.close()
    }
}
