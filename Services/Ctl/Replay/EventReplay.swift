import EventFlow
import Foundation
import Kafka

/// The work of `sjctl replay` (see `ReplayCommand` for the rules).
struct EventReplay {
    let topic: String
    let group: String
    let cluster: DeadLetterCluster
    let reader: KafkaPartitionReader
    let inbox: InboxLookup
    /// nil on a dry run.
    let producer: KafkaProducer?

    /// Headers added to a replayed record (consumers ignore them; operators read them).
    static let groupHeader = "replay-group"
    static let originalOffsetHeader = "replay-original-offset"

    func run(from start: ReplayStart, partitions: Int32) async throws {
        let marks = try await cluster.watermarks(of: topic, partitions: partitions)
        let committed: [Int32: Int64]
        do {
            committed = try await reader.committed(topic: topic, partitions: Array(0..<partitions), timeout: cluster.timeout)
        } catch let error as KafkaError {
            throw DeadLetterFailure("cannot read the committed offsets of group \(group) on \(topic): \(error.message)")
        }
        var read = 0, replayed = 0
        for (partition, mark) in marks where start.covers(partition) {
            // Only what the group has been through: beyond its committed offset
            // its consumer reads the records anyway.
            let end = min(committed[partition] ?? mark.low, mark.high)
            let first = start.firstOffset(low: mark.low)
            guard first < end else { continue }
            var missed = 0
            try await reader.read(topic: topic, partition: partition, offsets: first..<end, idleTimeout: cluster.timeout) { messages in
                let inRange = messages.filter { $0.offset < end && start.includes(timestamp: $0.timestamp) }
                read += inRange.count
                let records = try await notApplied(inRange)
                missed += records.count
                try await publish(records, partition: partition)
                return true
            }
            replayed += missed
            print("\(topic) partition \(partition): offsets \(first)..<\(end): \(missed) not applied by \(group)\(dryRunNote)")
        }
        if dryRun {
            print("dry run: \(replayed) of \(read) events read from \(topic) would be replayed for \(group); nothing published")
        } else {
            print("\(replayed) of \(read) events read from \(topic) replayed for \(group)")
        }
    }

    private var dryRun: Bool { producer == nil }
    private var dryRunNote: String { dryRun ? " (dry run)" : "" }

    /// The records of `messages` whose event the group has not applied, as
    /// records to publish again. A record that is not a CloudEvent is left
    /// out: the group sent it to its dead-letter topic (`sjctl dlq`).
    private func notApplied(_ messages: [KafkaMessage]) async throws -> [KafkaRecord] {
        var events: [(KafkaMessage, InboxLookup.Key)] = []
        for message in messages {
            guard let event = try? CloudEvent(message: message) else { continue }
            events.append((message, InboxLookup.Key(source: event.source, id: event.id)))
        }
        let applied = try await inbox.applied(events.map(\.1))
        return events.filter { !applied.contains($0.1) }.map { message, _ in
            let headers = message.headers.filter { $0.key != Self.groupHeader && $0.key != Self.originalOffsetHeader } + [
                KafkaHeader(key: Self.groupHeader, value: Array(group.utf8)),
                KafkaHeader(key: Self.originalOffsetHeader, value: Array("\(message.partition):\(message.offset)".utf8)),
            ]
            return KafkaRecord(topic: topic, key: message.key, value: message.value, headers: headers, partition: message.partition)
        }
    }

    private func publish(_ records: [KafkaRecord], partition: Int32) async throws {
        guard let producer, !records.isEmpty else { return }
        for result in await producer.send(records) {
            if case .failure(let error) = result {
                throw DeadLetterFailure("could not publish a replayed event to \(topic) partition \(partition): \(error.message)")
            }
        }
    }
}
