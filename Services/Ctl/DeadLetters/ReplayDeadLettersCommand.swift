import ArgumentParser
import Foundation
import Kafka

/// `sjctl dlq replay`: re-publishes dead letters to the topic they came from,
/// with their original key, value (or a replacement) and headers minus the
/// `dlq-*` ones — so `ce_id` is unchanged and consumers' inboxes dedupe a
/// record that was handled after all.
///
/// `--all` replays every dead letter not replayed by an earlier `--all`: its
/// progress is the committed offset of consumer group `sjctl-dlq-replay` on
/// each partition of the dead-letter topic, committed only after the
/// delivery reports of the records before it. `--offset` replays the chosen
/// records whatever that progress, and leaves it as it is.
struct ReplayDeadLettersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-publish dead letters to their original topic.",
        discussion: """
            Each dead letter goes back to its dlq-original-topic (to its original partition when that \
            still exists) with its key, its value (or --value-file's bytes) and its headers minus every \
            dlq-* header. --all remembers what it replayed in consumer group \(progressGroup), so a \
            second run replays only dead letters that arrived since; --offset always replays.
            """)

    /// Where `--all` keeps its progress (one committed offset per dead-letter partition).
    static let progressGroup = "sjctl-dlq-replay"

    @OptionGroup var connection: DeadLetterConnectionOptions

    @Option(help: "The dead-letter topic, <topic>.<consumer-group>.dlq.")
    var topic: String

    @Flag(help: "Replay every dead letter not replayed by an earlier --all (progress: consumer group \(progressGroup)).")
    var all = false

    @Option(
        name: .customLong("offset"),
        help: ArgumentHelp(
            "A dead letter to replay, as PARTITION:OFFSET in the dead-letter topic (repeatable).",
            discussion: "Replayed even if it was replayed before; --all's progress is not changed.",
            valueName: "partition:offset"),
        transform: DeadLetterPosition.init(parsing:))
    var offsets: [DeadLetterPosition] = []

    @Option(help: "With exactly one --offset: publish this file's bytes as the value instead of the dead letter's.")
    var valueFile: String?

    @Flag(help: "Print what would be replayed; publish and commit nothing.")
    var dryRun = false

    @Flag(help: "With --all: skip (for good) dead letters that cannot be replayed instead of stopping at the first one.")
    var skipInvalid = false

    func validate() throws {
        if all && !offsets.isEmpty { throw ValidationError("give either --all or --offset, not both") }
        if !all && offsets.isEmpty { throw ValidationError("choose what to replay: --all, or --offset PARTITION:OFFSET (repeatable)") }
        if valueFile != nil && offsets.count != 1 {
            throw ValidationError("--value-file replaces the value of one dead letter: give exactly one --offset with it")
        }
        if skipInvalid && !all { throw ValidationError("--skip-invalid goes with --all") }
        var seen = Set<DeadLetterPosition>()
        for position in offsets where !seen.insert(position).inserted {
            throw ValidationError("--offset \(position) is given twice")
        }
    }

    func run() async throws {
        // Read the replacement first: a typo in its path should not cost a broker round trip.
        let replacement = try valueFile.map(Self.readValue(path:))
        let cluster = try await DeadLetterCluster.connect(connection)
        let partitions = try cluster.deadLetterTopic(topic)
        let reader = try cluster.reader(groupId: Self.progressGroup)
        var producer: KafkaProducer?
        if !dryRun {
            var configuration = KafkaProducerConfiguration(settings: cluster.settings, clientId: "sjctl-dlq-replay")
            // A delivery that cannot happen fails after --timeout instead of the default 5 minutes.
            configuration.properties["message.timeout.ms"] = String(connection.timeout * 1000)
            producer = try KafkaProducer(configuration: configuration, logger: cluster.logger)
        }
        let replay = DeadLetterReplay(
            topic: topic, cluster: cluster, reader: reader, producer: producer, dryRun: dryRun)
        do {
            if all {
                try await replay.replayAll(partitions: partitions, skipInvalid: skipInvalid)
            } else {
                try await replay.replay(offsets, partitions: partitions, replacement: replacement.map { (valueFile!, $0) })
            }
        } catch {
            await producer?.close()
            await reader.close()
            throw error
        }
        await producer?.close()
        await reader.close()
    }

    private static func readValue(path: String) throws -> [UInt8] {
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw DeadLetterFailure("cannot read --value-file \(path): \(error.localizedDescription)")
        }
    }
}

/// A record of the dead-letter topic, as `--offset PARTITION:OFFSET` names it.
struct DeadLetterPosition: Hashable, CustomStringConvertible {
    var partition: Int32
    var offset: Int64

    init(parsing text: String) throws {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let partition = Int32(parts[0]), let offset = Int64(parts[1]), partition >= 0, offset >= 0
        else {
            throw ValidationError("expected PARTITION:OFFSET, two whole numbers ≥ 0 such as 0:42")
        }
        self.partition = partition
        self.offset = offset
    }

    var description: String { "\(partition):\(offset)" }
}
