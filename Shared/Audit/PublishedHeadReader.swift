import Domain
import Foundation
import Kafka
import Logging

/// Reads every head published for one service from `shuangjian.audit.heads`,
/// from the oldest record kept to the end each partition has when the read
/// starts. Joins no consumer group and commits nothing (KafkaPartitionReader).
public enum PublishedHeadReader {
    /// The service's heads, and a description of each record keyed by the
    /// service that is not a valid head (a verifier treats those as problems).
    public struct Result: Sendable {
        public var heads: [PublishedHead] = []
        public var unreadable: [String] = []
    }

    /// `timeout` bounds every wait on the cluster (metadata, offsets, each fetch).
    /// `settings`: the cluster and its TLS/SASL, as the services reach it.
    public static func read(service: String, settings: KafkaClientSettings, timeout: Duration, logger: Logger) async throws -> Result {
        let brokers = settings.brokers
        let admin = try KafkaAdmin(settings: settings, logger: logger)
        let topics = try await admin.listTopics(timeout: timeout)
        guard let partitions = topics.first(where: { $0.name == Topic.auditHeads })?.partitions else {
            throw PublishedHeadReaderError.topicMissing(brokers: brokers)
        }
        var marks: [(partition: Int32, offsets: Range<Int64>)] = []
        for partition in 0..<partitions {
            let watermarks = try await admin.watermarks(topic: Topic.auditHeads, partition: partition, timeout: timeout)
            if watermarks.high > watermarks.low { marks.append((partition, watermarks.low..<watermarks.high)) }
        }
        var result = Result()
        guard !marks.isEmpty else { return result }
        let reader = try KafkaPartitionReader(
            brokers: brokers, groupId: "sjctl-audit-verify-\(UUID().uuidString.lowercased())", properties: settings.common,
            logger: logger)
        do {
            for (partition, offsets) in marks {
                try await reader.read(topic: Topic.auditHeads, partition: partition, offsets: offsets, idleTimeout: timeout) { messages in
                    for message in messages where message.key.map({ String(decoding: $0, as: UTF8.self) }) == service {
                        do {
                            let head = try PublishedHead(message: message)
                            guard head.service == service else {
                                throw InvalidHead("its service is \(head.service) but its key is \(service)")
                            }
                            result.heads.append(head)
                        } catch {
                            result.unreadable.append("record \(partition):\(message.offset) of \(Topic.auditHeads) keyed \(service) is not a valid audit head: \(error)")
                        }
                    }
                    return true
                }
            }
        } catch {
            await reader.close()
            throw error
        }
        await reader.close()
        return result
    }

    private struct InvalidHead: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

public enum PublishedHeadReaderError: Error, CustomStringConvertible, Sendable {
    case topicMissing(brokers: String)

    public var description: String {
        switch self {
        case .topicMissing(let brokers):
            "topic \(Topic.auditHeads) does not exist at \(brokers): no head was ever published there (create it: docs/operations.md)"
        }
    }
}
