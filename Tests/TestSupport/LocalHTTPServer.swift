import Hummingbird
import Logging
import ServiceLifecycle

/// Runs `router` on a real HTTP server on an ephemeral loopback port in this
/// process for as long as `body` runs, then stops it: the in-process stand-in
/// for a service under test or for the webhooks, robots and gateways a
/// service calls. Real HTTP, so headers, status and content types are what a
/// client sees.
package enum LocalHTTPServer {
    package static func run<Context: RequestContext, T: Sendable>(
        _ router: Router<Context>, logger: Logger? = nil, _ body: @Sendable (_ port: Int) async throws -> T
    ) async throws -> T where Context.Source == ApplicationRequestContextSource {
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let logger = logger ?? {
            var logger = Logger(label: "local-http-server")
            logger.logLevel = .critical
            return logger
        }()
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else { throw TestSupportError("the local HTTP server did not start") }
            do {
                let value = try await body(port)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return value
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
        }
    }
}
