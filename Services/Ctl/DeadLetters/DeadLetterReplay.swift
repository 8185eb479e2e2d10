import EventFlow
import Foundation
import Kafka

/// The work of `sjctl dlq replay` on one dead-letter topic (see
/// `ReplayDeadLettersCommand` for the rules). `producer` is nil on a dry run.
struct DeadLetterReplay {
    let topic: String
    let cluster: DeadLetterCluster
    let reader: KafkaPartitionReader
    let producer: KafkaProducer?
    let dryRun: Bool

    private var group: String { ReplayDeadLettersCommand.progressGroup }

    // MARK: --all

    /// Replays, partition by partition, the dead letters from the group's
    /// committed offset up to the end the partition had when this started.
    func replayAll(partitions: Int32, skipInvalid: Bool) async throws {
        let marks = try await cluster.watermarks(of: topic, partitions: partitions)
        let progress: [Int32: Int64]
        do {
            progress = try await reader.committed(topic: topic, partitions: Array(0..<partitions), timeout: cluster.timeout)
        } catch let error as KafkaError {
            throw DeadLetterFailure("cannot read the replay progress of \(topic) (consumer group \(group)): \(error.message)")
        }
        var tally = Tally()
        for (partition, mark) in marks {
            if let committed = progress[partition], committed < mark.low {
                warn("note: \(topic) partition \(partition): offsets \(committed)..<\(mark.low) were removed (retention) before they were replayed")
            }
            let start = max(progress[partition] ?? mark.low, mark.low)
            guard start < mark.high else { continue }
            do {
                try await reader.read(
                    topic: topic, partition: partition, offsets: start..<mark.high, idleTimeout: cluster.timeout
                ) { messages in
                    try await replayBatch(messages, partition: partition, skipInvalid: skipInvalid, tally: &tally)
                    return true
                }
            } catch let error as KafkaError {
                throw DeadLetterFailure("cannot read \(topic) partition \(partition): \(error.message)")
            }
        }
        let skipped = tally.skipped > 0 ? ", \(tally.skipped) skipped" : ""
        if tally.replayed == 0 && tally.skipped == 0 {
            print("nothing to replay in \(topic): consumer group \(group) has replayed everything up to its end")
        } else if dryRun {
            print("dry run: \(tally.replayed) dead letter\(plural(tally.replayed)) would be replayed from \(topic)\(skipped); nothing published or committed")
        } else {
            print("\(tally.replayed) dead letter\(plural(tally.replayed)) replayed from \(topic)\(skipped) (progress kept in consumer group \(group))")
        }
    }

    private struct Tally {
        var replayed = 0
        var skipped = 0
    }

    private enum Step {
        case replay(DeadLetter, KafkaRecord)
        case skip(DeadLetter, DeadLetterFailure)
    }

    /// Publishes one polled batch (in offset order) and then commits the
    /// offset after the last dead letter that was delivered (or skipped)
    /// with nothing undelivered before it.
    private func replayBatch(
        _ messages: [KafkaMessage], partition: Int32, skipInvalid: Bool, tally: inout Tally
    ) async throws {
        var steps: [Step] = []
        var invalid: DeadLetterFailure?
        for message in messages {
            let letter = DeadLetter(message)
            do {
                steps.append(.replay(letter, try record(for: letter)))
            } catch let failure as DeadLetterFailure {
                if !skipInvalid {
                    invalid = DeadLetterFailure(
                        "\(failure.description)\n(replay --all stops here, with everything before it replayed; --skip-invalid passes over such dead letters for good)")
                    break
                }
                steps.append(.skip(letter, failure))
            }
        }
        let records = steps.compactMap { step -> KafkaRecord? in
            if case .replay(_, let record) = step { return record }
            return nil
        }
        let results = await publish(records)
        var delivered = 0
        var nextOffset: Int64?
        var undelivered: [String] = []
        for step in steps {
            switch step {
            case .skip(let letter, let failure):
                print("\(dryRun ? "would skip" : "skipped") \(topic) \(letter.position): \(failure.description)")
                tally.skipped += 1
                if undelivered.isEmpty { nextOffset = letter.message.offset + 1 }
            case .replay(let letter, let record):
                guard !dryRun else {
                    print(wouldReplayLine(letter, record))
                    tally.replayed += 1
                    continue
                }
                switch results[delivered] {
                case .success(let report):
                    print(replayedLine(letter, report))
                    tally.replayed += 1
                    if undelivered.isEmpty { nextOffset = letter.message.offset + 1 }
                case .failure(let error):
                    undelivered.append("\(letter.position): \(error.message)")
                }
                delivered += 1
            }
        }
        if !dryRun, let nextOffset {
            do {
                try await reader.commit(topic: topic, partition: partition, offset: nextOffset, timeout: cluster.timeout)
            } catch let error as KafkaError {
                throw DeadLetterFailure(
                    "replayed, but could not record the progress (consumer group \(group), \(topic) partition \(partition) at \(nextOffset)): \(error.message); a later --all replays these again (consumers dedupe them by ce_id)")
            }
        }
        if !undelivered.isEmpty {
            throw DeadLetterFailure(
                "could not publish \(undelivered.count) dead letter\(plural(undelivered.count)) of \(topic): \(undelivered.joined(separator: "; ")) — progress stops before the first; run replay --all again")
        }
        if let invalid { throw invalid }
    }

    // MARK: --offset

    /// Replays the chosen dead letters whatever `--all`'s progress, which
    /// stays as it is. Every record is checked before anything is published.
    func replay(
        _ positions: [DeadLetterPosition], partitions: Int32, replacement: (path: String, value: [UInt8])?
    ) async throws {
        var selected: [(letter: DeadLetter, record: KafkaRecord)] = []
        for position in positions {
            let letter = try await fetch(position, partitions: partitions)
            selected.append((letter, try record(for: letter, value: replacement?.value)))
        }
        let note = replacement.map { "  (value replaced from \($0.path), \($0.value.count) bytes)" } ?? ""
        if dryRun {
            for (letter, record) in selected { print(wouldReplayLine(letter, record) + note) }
            print("dry run: \(selected.count) dead letter\(plural(selected.count)) would be replayed from \(topic); nothing published")
            return
        }
        let results = await publish(selected.map(\.record))
        var undelivered: [String] = []
        for ((letter, _), result) in zip(selected, results) {
            switch result {
            case .success(let report): print(replayedLine(letter, report) + note)
            case .failure(let error): undelivered.append("\(letter.position): \(error.message)")
            }
        }
        guard undelivered.isEmpty else {
            throw DeadLetterFailure(
                "could not publish \(undelivered.count) of \(selected.count) dead letter\(plural(selected.count)) of \(topic): \(undelivered.joined(separator: "; "))")
        }
        print("\(selected.count) dead letter\(plural(selected.count)) replayed from \(topic) by offset (the progress of --all is unchanged)")
    }

    /// The record at `position`, with clear errors for one that does not exist.
    private func fetch(_ position: DeadLetterPosition, partitions: Int32) async throws -> DeadLetter {
        guard position.partition < partitions else {
            throw DeadLetterFailure(
                "no dead letter at \(position): \(topic) has no partition \(position.partition) (it has \(partitions): 0 to \(partitions - 1))")
        }
        let marks: KafkaWatermarks
        do {
            marks = try await cluster.admin.watermarks(topic: topic, partition: position.partition, timeout: cluster.timeout)
        } catch let error as KafkaError {
            throw DeadLetterFailure("cannot read the offsets of \(topic) partition \(position.partition): \(error.message)")
        }
        guard marks.low <= position.offset && position.offset < marks.high else {
            let holds =
                switch marks.high - marks.low {
                case ...0: "partition \(position.partition) is empty"
                case 1: "partition \(position.partition) holds only offset \(marks.low)"
                default: "partition \(position.partition) holds offsets \(marks.low) to \(marks.high - 1)"
                }
            throw DeadLetterFailure("no dead letter at \(position) in \(topic): \(holds)")
        }
        var found: KafkaMessage?
        do {
            try await reader.read(
                topic: topic, partition: position.partition, offsets: position.offset..<(position.offset + 1),
                idleTimeout: cluster.timeout
            ) { messages in
                found = messages.first { $0.offset == position.offset }
                return false
            }
        } catch let error as KafkaError {
            throw DeadLetterFailure("cannot read \(topic) at \(position): \(error.message)")
        }
        guard let found else {
            throw DeadLetterFailure("no dead letter at \(position) in \(topic): the record is gone (removed by retention?)")
        }
        return DeadLetter(found)
    }

    // MARK: shared

    /// Where `letter` goes back to, or why it cannot.
    func record(for letter: DeadLetter, value replacement: [UInt8]? = nil) throws -> KafkaRecord {
        let at = "dead letter \(topic) \(letter.position)"
        guard let original = letter.originalTopic else {
            throw DeadLetterFailure(
                "\(at) has no \(DeadLetterHeader.originalTopic) header: cannot tell which topic to replay it to")
        }
        guard topic.hasPrefix(original + "."), !DeadLetterCluster.isDeadLetterName(original) else {
            throw DeadLetterFailure(
                "\(at) says it came from \(original), but \(topic) is not a dead-letter topic of \(original) (those are named \(original).<consumer-group>.dlq): not replaying it")
        }
        guard let originalPartitions = cluster.topics[original] else {
            throw DeadLetterFailure("\(at): its original topic \(original) does not exist in the cluster at \(cluster.brokers)")
        }
        // Back to the partition it came from, beside the other records of its key;
        // by key (the partitioner) if that header is missing or the partition gone.
        let partition = letter.originalPartition.flatMap { (0..<originalPartitions).contains($0) ? $0 : nil }
        return KafkaRecord(
            topic: original, key: letter.message.key, value: replacement ?? letter.message.value,
            headers: letter.originalHeaders, partition: partition)
    }

    private func publish(_ records: [KafkaRecord]) async -> [Result<KafkaDeliveryReport, KafkaError>] {
        guard let producer, !records.isEmpty else { return [] }
        return await producer.send(records)
    }

    private func replayedLine(_ letter: DeadLetter, _ report: KafkaDeliveryReport) -> String {
        "replayed \(topic) \(letter.position) -> \(report.topic) \(report.partition):\(report.offset)\(identity(letter))"
    }

    private func wouldReplayLine(_ letter: DeadLetter, _ record: KafkaRecord) -> String {
        "would replay \(topic) \(letter.position) -> \(record.topic) partition \(record.partition.map(String.init) ?? "by key")\(identity(letter))"
    }

    private func identity(_ letter: DeadLetter) -> String {
        "  key \(Preview.of(letter.message.key, limit: 60))  ce_id \(letter.ceId ?? "-")"
    }

    private func warn(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

private func plural(_ count: Int) -> String { count == 1 ? "" : "s" }
