import Kafka
import Logging

/// Logs (notice) the partitions a group member holds whenever they change,
/// with its member id: an operator sees a restarted member get its
/// partitions back, and a member left without any. Reads librdkafka's local
/// state at most once a second, so polling never waits on it.
struct AssignmentLog {
    let logger: Logger
    private var last: [String]?
    private var lastCheck = ContinuousClock.now - .seconds(1)

    init(logger: Logger) {
        self.logger = logger
    }

    mutating func check(_ consumer: KafkaConsumer) async {
        guard ContinuousClock.now - lastCheck >= .seconds(1) else { return }
        lastCheck = .now
        guard let partitions = try? await consumer.assignment() else { return }
        let current = partitions.map { "\($0.topic)[\($0.partition)]" }.sorted()
        guard current != last else { return }
        last = current
        let member = (try? await consumer.memberId()) ?? ""
        logger.notice("partitions assigned", metadata: [
            "partitions": "\(current.joined(separator: ","))", "count": "\(current.count)", "member_id": .string(member),
        ])
    }
}
