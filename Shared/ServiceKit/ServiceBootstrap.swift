import Audit
import EventFlow
import Foundation
import Hummingbird
import Kafka
import Logging
import Postgres
import ServiceLifecycle

/// What differs between the four services at start-up.
public struct ServiceDescriptor: Sendable {
    public var name: String
    public var defaultPort: Int
    /// The folder of the service's numbered SQL migrations (a bundle resource).
    public var migrations: URL?
    /// Shared modules' tables, applied before `migrations` (ServiceSchema).
    public var modules: [ModuleSchema]

    public init(name: String, defaultPort: Int, migrations: URL?, modules: [ModuleSchema] = []) {
        self.name = name
        self.defaultPort = defaultPort
        self.migrations = migrations
        self.modules = modules
    }
}

/// Starts a service the same way for all four: configuration from the
/// environment, JSON logs, metrics, migrations, the HTTP server with health,
/// metrics, problem+json, authentication and the audit log (`GET /v1/audit`),
/// the audit head publisher, the service's own lifecycle services, and an
/// orderly stop on SIGTERM or SIGINT within the configured time.
///
/// ```swift
/// await ServiceBootstrap.run(descriptor) { assembly in
///     Routes(pool: assembly.pool).register(on: assembly.router)
///     assembly.services.append(relay)
///     assembly.addReadinessCheck("relay") { try await relay.check() }
/// }
/// ```
public enum ServiceBootstrap {
    public static func run(
        _ descriptor: ServiceDescriptor,
        setup: @Sendable (inout ServiceAssembly) async throws -> Void = { _ in }
    ) async {
        await run(descriptor, settings: { _ in () }) { assembly, _ in try await setup(&assembly) }
    }

    /// Like `run(_:setup:)` for a service with variables of its own:
    /// `settings` reads them with the reader of the common ones, right after
    /// them and before anything touches the database, so a missing or invalid
    /// one stops the service at once with exit 78 and one line per problem,
    /// the common ones included. It records each problem in the reader and
    /// returns nil if there was any; `setup` gets what it returned.
    ///
    /// ```swift
    /// await ServiceBootstrap.run(descriptor, settings: { reader in
    ///     MySettings.read(&reader)
    /// }) { assembly, settings in … }
    /// ```
    public static func run<Settings: Sendable>(
        _ descriptor: ServiceDescriptor,
        settings readSettings: (inout EnvironmentReader) -> Settings?,
        setup: @Sendable (inout ServiceAssembly, Settings) async throws -> Void
    ) async {
        let configuration: ServiceConfiguration
        let settings: Settings
        do {
            (configuration, settings) = try ServiceConfiguration.fromEnvironment(
                service: descriptor.name, defaultPort: descriptor.defaultPort, settings: readSettings)
        } catch {
            FileHandle.standardError.write(Data("\(descriptor.name): \(error)\n".utf8))
            exit(78)  // EX_CONFIG
        }
        JSONLogHandler.bootstrap(level: configuration.logLevel)
        // Before anything that makes a metric: metrics made earlier go nowhere.
        ServiceMetrics.bootstrap()
        var logger = Logger(label: "shuangjian.\(descriptor.name)")
        logger[metadataKey: "service"] = .string(descriptor.name)

        do {
            try await serve(descriptor, configuration: configuration, logger: logger) { assembly in
                try await setup(&assembly, settings)
            }
        } catch {
            logger.critical("service stopped with an error", metadata: ["error": "\(error)"])
            exit(1)
        }
    }

    static func serve(
        _ descriptor: ServiceDescriptor, configuration: ServiceConfiguration, logger: Logger,
        setup: @Sendable (inout ServiceAssembly) async throws -> Void
    ) async throws {
        let pool = PostgresPool(
            PostgresConfiguration(
                connectionString: configuration.databaseURL, poolSize: configuration.databasePoolSize),
            logger: logger)
        // Migrations run before anything else: no route, consumer or relay
        // ever sees an old schema.
        let applied = try await ServiceSchema.migrate(
            pool, modules: descriptor.modules, serviceMigrations: descriptor.migrations, logger: logger)
        logger.info("migrations applied", metadata: ["count": "\(applied.count)"])
        let kafkaAdmin = try KafkaAdmin(settings: configuration.kafka, logger: logger)
        let producer = try KafkaProducer(
            configuration: .eventFlow(settings: configuration.kafka, clientId: descriptor.name),
            logger: logger)
        // Every service publishes through its outbox; the relay runs in each
        // replica and the advisory lock keeps one of them active.
        let relay = OutboxRelay(
            database: pool.configuration, producer: producer,
            configuration: OutboxRelayConfiguration(source: "/shuangjian/\(descriptor.name)"), logger: logger)
        // The audit chain's head goes to Kafka, so a rewritten database is caught.
        let auditHeads = AuditHeadPublisher(
            service: descriptor.name, pool: pool, producer: producer, interval: configuration.auditHeadInterval,
            logger: logger)

        let router = ServiceRouter.make(verifier: TokenVerifier(secret: configuration.jwtSecret))
        AuditRoutes(pool: pool).register(on: router)
        var assembly = ServiceAssembly(
            configuration: configuration, logger: logger, pool: pool, router: router, kafkaAdmin: kafkaAdmin,
            producer: producer)
        try await setup(&assembly)

        // A broker ping shorter than the probe's timeout, so an unreachable
        // broker is logged with librdkafka's reason rather than as a bare timeout.
        let brokerTimeout = configuration.readinessTimeout * 0.8
        let checks =
            [
                ReadinessCheck("database") { try await pool.ping() },
                ReadinessCheck("broker") { try await kafkaAdmin.ping(timeout: brokerTimeout) },
            ] + assembly.readinessChecks
        ServiceRouter.addReadiness(to: router, checks: checks, timeout: configuration.readinessTimeout)

        let app = Application(
            router: router,
            configuration: .init(
                address: .hostname(configuration.httpHost, port: configuration.httpPort),
                serverName: "shuangjian-\(descriptor.name)"),
            logger: logger)

        // Order matters twice. ServiceGroup starts these in order, and on
        // SIGTERM stops them in reverse, waiting for each before the next:
        //   1. the HTTP server stops accepting and finishes in-flight requests;
        //   2. the consumers stop consuming and commit what they finished;
        //   3. the service's own services, last added first;
        //   4. the audit head publisher publishes the head once more (nothing
        //      appends any more), the relay publishes what is committed, then
        //      the producer flushes;
        //   5. the pool closes, when nothing can use it any more.
        // The whole stop is bounded by SJ_SHUTDOWN_TIMEOUT_SECONDS; whatever
        // still runs then is cancelled, and cancellation itself gets 5 s.
        let services: [any Service] =
            [PostgresPoolService(pool: pool, logger: logger), ProducerService(producer, logger: logger), relay, auditHeads]
            + assembly.services + assembly.consumers + [StopLoggedService(wrapped: app, name: "HTTP server", logger: logger)]
        var groupConfiguration = ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownTimeout
        groupConfiguration.maximumCancellationDuration = .seconds(5)
        let group = ServiceGroup(configuration: groupConfiguration)
        try await group.run()
        logger.info("stopped")
        withExtendedLifetime(kafkaAdmin) {}
    }
}
