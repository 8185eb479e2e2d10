import Domain
import EventFlow
import Foundation
import Hummingbird
import Kafka
import Logging
import Postgres
import ServiceLifecycle

/// What a service's setup closure gets from `ServiceBootstrap.run`: the shared
/// pieces already built (configuration, logger, pool, router with the common
/// middleware and routes) and two places to add its own — lifecycle services
/// and readiness checks.
///
/// Not `Sendable` (the router is a builder); it lives only for the setup
/// closure, on the bootstrap's task.
public struct ServiceAssembly {
    public let configuration: ServiceConfiguration
    /// The service's logger (metadata `service`); requests get children of it.
    public let logger: Logger
    /// Open, migrated; closed last at shutdown.
    public let pool: PostgresPool
    /// Add the service's routes here; the common middleware already applies to them.
    public let router: Router<ServiceRequestContext>
    /// The service's clock: every time a service records comes from here, so
    /// tests that run its parts in-process move time instead of sleeping.
    public let now: @Sendable () -> Date
    /// The admin client the broker readiness check uses (topic creation, metadata).
    public let kafkaAdmin: KafkaAdmin
    /// The service's one producer (the relay's, and the consumers' for dead
    /// letters); flushed and closed after the relay and the consumers stopped.
    public let producer: KafkaProducer
    /// Extra lifecycle services (producer, relay, consumers, timers, ...).
    /// They start after the pool and before the HTTP server, and stop in the
    /// reverse of this order after the HTTP server has stopped: append in
    /// dependency order — what others use first (producer, then relay, then
    /// consumers), so consumers stop first, the relay drains next, and the
    /// producer flushes last.
    public var services: [any Service] = []
    /// Checks `/health/ready` runs besides the database and the broker.
    public private(set) var readinessChecks: [ReadinessCheck] = []
    /// The idempotent consumers added with `consume`; they start last and stop first.
    private(set) var consumers: [EventConsumer] = []

    init(
        configuration: ServiceConfiguration, logger: Logger, pool: PostgresPool,
        router: Router<ServiceRequestContext>, kafkaAdmin: KafkaAdmin, producer: KafkaProducer,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.now = now
        self.configuration = configuration
        self.logger = logger
        self.pool = pool
        self.router = router
        self.kafkaAdmin = kafkaAdmin
        self.producer = producer
    }

    /// Adds an idempotent consumer (DESIGN.md §4) for `group`, a consumer
    /// group declared in `ConsumerGroup` (Shared/Domain), reading its topics
    /// with `handlers`. The group's name is also its inbox name and the middle
    /// of its dead-letter topics, which `sjctl topics create` creates from the
    /// same declaration. Consumers stop first at shutdown: they finish and
    /// commit the batch in hand before the relay drains.
    public mutating func consume(
        _ group: ConsumerGroup, handlers: EventHandlers,
        configure: (inout EventConsumerConfiguration) -> Void = { _ in }
    ) {
        var consumerConfiguration = EventConsumerConfiguration(
            settings: configuration.kafka, group: group.name, topics: group.topics)
        configure(&consumerConfiguration)
        consumers.append(EventConsumer(
            pool: pool, producer: producer, handlers: handlers, configuration: consumerConfiguration, logger: logger))
    }

    /// Adds a check to `/health/ready`; it fails the probe by throwing or by
    /// overrunning `SJ_READY_TIMEOUT_MS`.
    public mutating func addReadinessCheck(_ name: String, _ check: @escaping @Sendable () async throws -> Void) {
        readinessChecks.append(ReadinessCheck(name, check))
    }
}
