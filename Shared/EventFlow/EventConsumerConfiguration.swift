import Kafka

/// How one consumer group of a service reads its topics.
public struct EventConsumerConfiguration: Sendable {
    /// The Kafka consumer group, also the inbox's `consumer` and the middle of
    /// the dead-letter topic's name (`<topic>.<group>.dlq`).
    public var group: String
    public var topics: [String]
    public var kafka: KafkaConsumerConfiguration
    /// Runs of a handler that keeps failing with an unexpected error before
    /// its record goes to the dead-letter topic.
    public var maxAttempts: Int
    public var minBackoff: Duration
    public var maxBackoff: Duration
    /// How often consumer lag is read for /metrics.
    public var lagInterval: Duration
    /// How many of a batch's partitions are applied at once, each in its own
    /// transaction on its own pooled connection. 1 (the default): the whole
    /// batch in one transaction. More lets a burst spread over several
    /// connections; order within a partition (per key) holds either way.
    public var partitionConcurrency: Int
    /// An instrumentation point for benchmarks: called after each COMMIT with
    /// the ids of the events it applied.
    public var afterCommit: (@Sendable ([String]) -> Void)?

    public init(brokers: String, group: String, topics: [String]) {
        self.group = group
        self.topics = topics
        self.kafka = KafkaConsumerConfiguration(brokers: brokers, groupId: group, topics: topics)
        self.maxAttempts = 3
        self.minBackoff = .milliseconds(50)
        self.maxBackoff = .seconds(5)
        self.lagInterval = .seconds(5)
        self.partitionConcurrency = 1
        self.afterCommit = nil
    }
}

extension EventConsumerConfiguration {
    /// A group of `settings`: its security and consumer tuning apply.
    public init(settings: KafkaClientSettings, group: String, topics: [String]) {
        self.init(brokers: settings.brokers, group: group, topics: topics)
        kafka = KafkaConsumerConfiguration(settings: settings, groupId: group, topics: topics)
    }
}
