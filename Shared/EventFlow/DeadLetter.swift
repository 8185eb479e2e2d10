import Domain
import Kafka

/// The headers a dead letter carries besides the original record's own
/// (DESIGN.md §3): where it came from and why it could not be handled.
/// Written by the consumers, read by `sjctl dlq`.
public enum DeadLetterHeader {
    public static let originalTopic = "dlq-original-topic"
    public static let originalPartition = "dlq-original-partition"
    public static let originalOffset = "dlq-original-offset"
    public static let consumerGroup = "dlq-consumer-group"
    public static let error = "dlq-error"
    public static let attempts = "dlq-attempts"
    /// Every header whose name starts with this was added by the dead-lettering.
    public static let prefix = "dlq-"

    /// Whether `key` is one of these headers (not the original record's).
    public static func isDeadLetterHeader(_ key: String) -> Bool { key.lowercased().hasPrefix(prefix) }
}

/// The dead-letter record of DESIGN.md §3: the original key, value and
/// headers, plus where it came from and why it could not be handled.
enum DeadLetter {
    static func record(for message: KafkaMessage, group: String, error: String, attempts: Int) -> KafkaRecord {
        var headers = message.headers.filter { !DeadLetterHeader.isDeadLetterHeader($0.key) }
        headers.append(KafkaHeader(key: DeadLetterHeader.originalTopic, value: message.topic))
        headers.append(KafkaHeader(key: DeadLetterHeader.originalPartition, value: String(message.partition)))
        headers.append(KafkaHeader(key: DeadLetterHeader.originalOffset, value: String(message.offset)))
        headers.append(KafkaHeader(key: DeadLetterHeader.consumerGroup, value: group))
        headers.append(KafkaHeader(key: DeadLetterHeader.error, value: String(error.prefix(2000))))
        headers.append(KafkaHeader(key: DeadLetterHeader.attempts, value: String(attempts)))
        return KafkaRecord(
            topic: Topic.deadLetter(of: message.topic, group: group), key: message.key, value: message.value,
            headers: headers)
    }
}
