import Domain
import Kafka

/// The dead-letter record of DESIGN.md §3: the original key, value and
/// headers, plus where it came from and why it could not be handled.
enum DeadLetter {
    static func record(for message: KafkaMessage, group: String, error: String, attempts: Int) -> KafkaRecord {
        var headers = message.headers.filter { !$0.key.hasPrefix("dlq-") }
        headers.append(KafkaHeader(key: "dlq-original-topic", value: message.topic))
        headers.append(KafkaHeader(key: "dlq-original-partition", value: String(message.partition)))
        headers.append(KafkaHeader(key: "dlq-original-offset", value: String(message.offset)))
        headers.append(KafkaHeader(key: "dlq-consumer-group", value: group))
        headers.append(KafkaHeader(key: "dlq-error", value: String(error.prefix(2000))))
        headers.append(KafkaHeader(key: "dlq-attempts", value: String(attempts)))
        return KafkaRecord(
            topic: Topic.deadLetter(of: message.topic, group: group), key: message.key, value: message.value,
            headers: headers)
    }
}
