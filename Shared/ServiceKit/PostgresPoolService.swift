import Logging
import Postgres
import ServiceLifecycle

/// Keeps a service's connection pool open for as long as the service runs and
/// closes it last: ServiceGroup stops services in reverse order, so listing this
/// before the HTTP server means in-flight requests finish before the pool goes.
public struct PostgresPoolService: Service {
    public let pool: PostgresPool
    /// Says (info) when the pool was closed: the shutdown's order shows in the log.
    let logger: Logger?

    public init(pool: PostgresPool, logger: Logger? = nil) {
        self.pool = pool
        self.logger = logger
    }

    public func run() async throws {
        try? await gracefulShutdown()
        // Cancelled here means the group ran out of SJ_SHUTDOWN_TIMEOUT_SECONDS
        // before the pool's turn came: a part of the stop was cut short.
        let cutShort = Task.isCancelled
        await pool.close()
        if cutShort {
            logger?.warning("database pool closed after the graceful stop ran out of time (SJ_SHUTDOWN_TIMEOUT_SECONDS)")
        } else {
            logger?.info("database pool closed")
        }
    }
}
