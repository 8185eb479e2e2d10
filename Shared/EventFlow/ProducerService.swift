import Kafka
import Logging
import ServiceLifecycle

/// Keeps a service's producer for its lifetime and closes it — flushing what
/// is queued — when the service group shuts it down. Placed before the relay
/// and the consumers in a ServiceGroup, it stops after them (the group stops
/// services in reverse order), so their last sends still go out.
public struct ProducerService: Service {
    public let producer: KafkaProducer
    /// Says (info) when the producer was flushed and closed: the shutdown's order shows in the log.
    let logger: Logger?

    public init(_ producer: KafkaProducer, logger: Logger? = nil) {
        self.producer = producer
        self.logger = logger
    }

    public func run() async throws {
        try? await gracefulShutdown()
        await producer.close()
        logger?.info("producer flushed and closed")
    }
}
