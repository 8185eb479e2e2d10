import ArgumentParser
import Foundation
import Kafka
import Logging

/// Options every `sjctl dlq` subcommand takes.
typealias DeadLetterConnectionOptions = KafkaConnectionOptions

/// A failure of `sjctl dlq` that the operator can act on; printed as
/// `Error: <description>`, exit status 1.
struct DeadLetterFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The cluster as `sjctl dlq` sees it: reached first (with a timeout, so an
/// unreachable broker is an error, not a hang), its topics, and each
/// partition's watermarks.
struct DeadLetterCluster {
    static let suffix = ".dlq"

    let brokers: String
    let settings: KafkaClientSettings
    let timeout: Duration
    let logger: Logger
    let admin: KafkaAdmin
    /// Every topic of the cluster metadata: name → partition count.
    let topics: [String: Int32]

    /// Sets up logging (stderr: stdout carries only results), then asks the
    /// cluster for its topics.
    static func connect(_ options: DeadLetterConnectionOptions) async throws -> DeadLetterCluster {
        let settings = try options.settings()
        // librdkafka logs every failed connection attempt; the error we throw says it once.
        let logger = options.logger(label: "sjctl.dlq")
        let timeout = options.timeoutDuration
        let admin = try KafkaAdmin(settings: settings, logger: logger)
        let topics: [KafkaTopicInfo]
        do {
            topics = try await admin.listTopics(timeout: timeout)
        } catch let error as KafkaError {
            throw DeadLetterFailure(
                "cannot reach Kafka at \(settings.brokers) within \(options.timeout) s: \(error.message) (check --brokers or SJ_KAFKA_BROKERS)")
        }
        return DeadLetterCluster(
            brokers: settings.brokers, settings: settings, timeout: timeout, logger: logger, admin: admin,
            topics: Dictionary(topics.map { ($0.name, $0.partitions) }, uniquingKeysWith: { first, _ in first }))
    }

    /// Whether `name` has the form `<topic>.<consumer-group>.dlq`.
    static func isDeadLetterName(_ name: String) -> Bool {
        guard name.hasSuffix(suffix) else { return false }
        let stem = name.dropLast(suffix.count)
        guard let dot = stem.lastIndex(of: "."), dot != stem.startIndex else { return false }
        return stem.index(after: dot) != stem.endIndex
    }

    /// Every dead-letter topic of the cluster, by name.
    var deadLetterTopics: [String] {
        topics.keys.filter { Self.isDeadLetterName($0) }.sorted()
    }

    /// The partition count of dead-letter topic `name`; a clear error when
    /// the name is not one of a dead-letter topic or the topic does not exist.
    func deadLetterTopic(_ name: String) throws -> Int32 {
        guard Self.isDeadLetterName(name) else {
            throw DeadLetterFailure(
                "\(name) is not a dead-letter topic: dead-letter topics are named <topic>.<consumer-group>.dlq")
        }
        guard let partitions = topics[name] else {
            throw DeadLetterFailure("dead-letter topic \(name) does not exist in the cluster at \(brokers)")
        }
        return partitions
    }

    /// Low and high watermark of each partition of `topic`, in partition order.
    func watermarks(of topic: String, partitions: Int32) async throws -> [(partition: Int32, marks: KafkaWatermarks)] {
        var result: [(partition: Int32, marks: KafkaWatermarks)] = []
        for partition in 0..<partitions {
            do {
                result.append((partition, try await admin.watermarks(topic: topic, partition: partition, timeout: timeout)))
            } catch let error as KafkaError {
                throw DeadLetterFailure("cannot read the offsets of \(topic) partition \(partition): \(error.message)")
            }
        }
        return result
    }

    /// A reader that joins no group; `groupId` is where it reads and commits offsets.
    func reader(groupId: String) throws -> KafkaPartitionReader {
        try KafkaPartitionReader(brokers: brokers, groupId: groupId, properties: settings.common, logger: logger)
    }
}
