import EventFlow
import ArgumentParser
import Foundation
import Kafka

/// `sjctl dlq list`: prints the dead letters of dead-letter topics, reading
/// each partition from its oldest record up to its end as it was when the
/// command started. Joins no consumer group and commits nothing.
struct ListDeadLettersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Print dead letters (read only: joins no group, commits nothing).")

    @OptionGroup var connection: DeadLetterConnectionOptions

    @Option(
        name: .customLong("topic"),
        help: ArgumentHelp(
            "A dead-letter topic, <topic>.<consumer-group>.dlq (repeatable).",
            discussion: "Default: every topic of the cluster whose name ends in .dlq."))
    var topics: [String] = []

    @Option(help: "Print at most this many dead letters of each topic (the oldest first).")
    var limit: Int?

    @Flag(help: "One JSON object per line, with the whole value (base64 when not UTF-8) and every header.")
    var json = false

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        let cluster = try await DeadLetterCluster.connect(connection)
        let names: [String]
        if topics.isEmpty {
            names = cluster.deadLetterTopics
            if names.isEmpty && !json { print("no dead-letter topics (no topic ends in .dlq) at \(cluster.brokers)") }
        } else {
            names = topics.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
            for name in names { _ = try cluster.deadLetterTopic(name) }
        }
        // A group id of its own that nothing ever commits to.
        let reader = try cluster.reader(groupId: "sjctl-dlq-list-\(UUID().uuidString.lowercased())")
        do {
            for name in names { try await list(name, cluster: cluster, reader: reader) }
        } catch {
            await reader.close()
            throw error
        }
        await reader.close()
    }

    private func list(_ topic: String, cluster: DeadLetterCluster, reader: KafkaPartitionReader) async throws {
        let partitions = try cluster.deadLetterTopic(topic)
        let marks = try await cluster.watermarks(of: topic, partitions: partitions)
        let total = marks.reduce(Int64(0)) { $0 + max(0, $1.marks.high - $1.marks.low) }
        if !json {
            let shown = limit.map { Int64($0) < total ? " (the first \($0) shown)" : "" } ?? ""
            print("\(topic): \(total == 0 ? "no" : String(total)) dead letter\(total == 1 ? "" : "s")\(shown)")
        }
        var printed = 0
        for (partition, mark) in marks where mark.high > mark.low {
            if let limit, printed >= limit { break }
            do {
                try await reader.read(
                    topic: topic, partition: partition, offsets: mark.low..<mark.high, idleTimeout: cluster.timeout
                ) { messages in
                    for message in messages {
                        if let limit, printed >= limit { return false }
                        try show(DeadLetter(message))
                        printed += 1
                    }
                    return true
                }
            } catch let error as KafkaError {
                throw DeadLetterFailure("cannot read \(topic) partition \(partition): \(error.message)")
            }
        }
    }

    private func show(_ letter: DeadLetter) throws {
        if json {
            print(try DeadLetterJSON.line(letter))
            return
        }
        let original = [
            letter.originalTopic ?? "<no \(DeadLetterHeader.originalTopic)>",
            "\(letter.originalPartition.map(String.init) ?? "?"):\(letter.originalOffset.map(String.init) ?? "?")",
        ].joined(separator: " ")
        print("  \(letter.position)  from \(original)  group \(letter.consumerGroup ?? "?")  attempts \(letter.attempts.map(String.init) ?? "?")")
        print("      error    \(letter.error.map { Preview.of(Array($0.utf8), limit: 200) } ?? "-")")
        print("      key      \(Preview.of(letter.message.key))")
        print("      ce_type  \(letter.ceType ?? "-")")
        print("      ce_id    \(letter.ceId ?? "-")")
        print("      value    \(Preview.of(letter.message.value))")
    }
}
