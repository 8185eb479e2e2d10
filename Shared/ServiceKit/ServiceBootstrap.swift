import Foundation
import Hummingbird
import Logging
import Postgres
import ServiceLifecycle

/// What differs between the four services at start-up.
public struct ServiceDescriptor: Sendable {
    public var name: String
    public var defaultPort: Int
    /// The folder of the service's numbered SQL migrations (a bundle resource).
    public var migrations: URL?

    public init(name: String, defaultPort: Int, migrations: URL?) {
        self.name = name
        self.defaultPort = defaultPort
        self.migrations = migrations
    }
}

/// Starts a service the same way for all four: configuration from the
/// environment, JSON logs, migrations, the HTTP server, and an orderly stop on
/// SIGTERM or SIGINT within the configured time.
public enum ServiceBootstrap {
    public static func run(
        _ descriptor: ServiceDescriptor,
        routes: @Sendable (Router<BasicRequestContext>, PostgresPool) -> Void = { _, _ in }
    ) async {
        let configuration: ServiceConfiguration
        do {
            configuration = try ServiceConfiguration.fromEnvironment(
                service: descriptor.name, defaultPort: descriptor.defaultPort)
        } catch {
            FileHandle.standardError.write(Data("\(descriptor.name): \(error)\n".utf8))
            exit(78)  // EX_CONFIG
        }
        JSONLogHandler.bootstrap(level: configuration.logLevel)
        var logger = Logger(label: "shuangjian.\(descriptor.name)")
        logger[metadataKey: "service"] = .string(descriptor.name)

        do {
            try await serve(descriptor, configuration: configuration, logger: logger, routes: routes)
        } catch {
            logger.critical("service stopped with an error", metadata: ["error": "\(error)"])
            exit(1)
        }
    }

    static func serve(
        _ descriptor: ServiceDescriptor, configuration: ServiceConfiguration, logger: Logger,
        routes: @Sendable (Router<BasicRequestContext>, PostgresPool) -> Void
    ) async throws {
        let pool = PostgresPool(
            PostgresConfiguration(
                connectionString: configuration.databaseURL, poolSize: configuration.databasePoolSize),
            logger: logger)
        if let folder = descriptor.migrations {
            let applied = try await MigrationRunner(
                pool: pool, migrations: try Migration.load(from: folder), logger: logger
            ).run()
            logger.info("migrations applied", metadata: ["count": "\(applied.count)"])
        }

        let router = Router()
        router.get("/health/live") { _, _ -> HTTPResponse.Status in .ok }
        routes(router, pool)

        let app = Application(
            router: router,
            configuration: .init(
                address: .hostname(configuration.httpHost, port: configuration.httpPort),
                serverName: "shuangjian-\(descriptor.name)"),
            services: [PostgresPoolService(pool: pool)],
            logger: logger)

        var groupConfiguration = ServiceGroupConfiguration(
            services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // A stop must finish in bounded time even if something hangs.
        groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownTimeout
        groupConfiguration.maximumCancellationDuration = .seconds(5)
        let group = ServiceGroup(configuration: groupConfiguration)
        try await group.run()
        logger.info("stopped")
    }
}
