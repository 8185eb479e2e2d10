import Foundation

/// How a service's relay publishes its outbox.
public struct OutboxRelayConfiguration: Sendable {
    /// `ce_source` of every event, e.g. `/shuangjian/registry`.
    public var source: String
    /// Session advisory lock that makes one relay per database active; the
    /// others stand by and take over when its connection ends.
    public var lockKey: Int64
    /// Rows read, produced and marked per round.
    public var batchSize: Int
    /// The fallback poll when no NOTIFY arrives (NOTIFY is lost while the
    /// listener reconnects, for instance).
    public var pollInterval: Duration
    /// Backoff after a failed round: doubles from `minBackoff` up to `maxBackoff`.
    public var minBackoff: Duration
    public var maxBackoff: Duration
    /// Published rows older than this are deleted; unpublished ones never are.
    public var retention: Duration
    /// How often backlog metrics are read and old rows pruned.
    public var housekeepingInterval: Duration
    /// A fault-injection point for tests: runs after the delivery reports of a
    /// round arrived and before the rows are marked published.
    public var afterDelivery: (@Sendable ([UUID]) async -> Void)?

    public init(source: String) {
        self.source = source
        self.lockKey = 7_300_100
        self.batchSize = 500
        self.pollInterval = .milliseconds(500)
        self.minBackoff = .milliseconds(100)
        self.maxBackoff = .seconds(5)
        self.retention = .seconds(7 * 24 * 3600)
        self.housekeepingInterval = .seconds(5)
        self.afterDelivery = nil
    }
}

import Kafka

extension KafkaProducerConfiguration {
    /// A service's producer as the relay wants it: the relay hands librdkafka
    /// a whole round at once, so lingering for more records only adds latency.
    public static func eventFlow(brokers: String, clientId: String) -> KafkaProducerConfiguration {
        var configuration = KafkaProducerConfiguration(brokers: brokers, clientId: clientId)
        configuration.properties["linger.ms"] = "1"
        return configuration
    }

    /// The relay's producer for `settings`: linger 1 ms unless the
    /// deployment's producer tuning (`SJ_KAFKA_LINGER_MS`) says otherwise.
    public static func eventFlow(settings: KafkaClientSettings, clientId: String) -> KafkaProducerConfiguration {
        var configuration = KafkaProducerConfiguration(brokers: settings.brokers, clientId: clientId)
        configuration.properties["linger.ms"] = "1"
        configuration.properties.merge(settings.common) { $1 }
        configuration.properties.merge(settings.producer) { $1 }
        return configuration
    }
}
