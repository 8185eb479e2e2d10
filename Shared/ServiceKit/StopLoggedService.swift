import Logging
import ServiceLifecycle

/// Runs a service and says (info) when it has stopped, for a part that does
/// not say so itself (the HTTP server): the shutdown's order shows in the log.
struct StopLoggedService<Wrapped: Service>: Service {
    let wrapped: Wrapped
    let name: String
    let logger: Logger

    func run() async throws {
        try await wrapped.run()
        logger.info("\(name) stopped")
    }
}
