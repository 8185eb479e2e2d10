import EventFlow
import Foundation
import Kafka
import TestSupport
import Testing

/// Crashes at the worst moments, across processes: nothing lost, nothing applied twice.
@Suite(.serialized) struct CrashTests {
    @Test func relayKilledBetweenProduceAndMarkRepublishesTheSameEvent() async throws {
        let run = try await ProbeRun.make(partitions: 2)
        defer { run.bag.terminateAll() }
        try await run.write(count: 1)
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("relay-\(UUID().uuidString)").path

        let relay = try run.startRelay(pauseAfterDelivery: marker)
        #expect(try await eventually(timeout: .seconds(30)) { FileManager.default.fileExists(atPath: marker) })
        await kill9(relay)
        // Produced, delivered, but not marked.
        #expect(try await run.unpublished() == 1)

        let restarted = try run.startRelay()
        #expect(try await eventually(timeout: .seconds(30)) { try await run.unpublished() == 0 })
        let messages = try await readTopic(run.topic, brokers: run.environment.brokers, atLeast: 2)
        #expect(messages.count == 2)
        #expect(Set(messages.compactMap { $0.text("ce_id") }).count == 1, "the republished event keeps its ce_id")

        let consumer = try run.startConsumer()
        #expect(try await run.waitUntilApplied(1))
        try await run.markEveryPartition(2)
        #expect(try await run.applied() == 1, "applied once")
        for process in [consumer, restarted] { process.terminate(); _ = await waitForExit(process, timeout: .seconds(20)) }
        await run.finish()
    }

    @Test func consumerKilledRepeatedlyWhile10000EventsFlow() async throws {
        let total = 10_000
        let run = try await ProbeRun.make(partitions: 4)
        defer { run.bag.terminateAll() }
        let relay = try run.startRelay()
        // Slow enough that the events are still flowing when the last kill lands.
        let writer = try run.startWriter(count: total, keys: 50, batch: 50, rate: 250)
        var consumer = try run.startConsumer()
        for round in 0..<4 {
            // Each kill lands while batches are in flight: this consumer has
            // applied some events since it started, events are still being
            // applied right before the kill, and not all of them yet.
            let before = try await run.applied()
            let step = Int.random(in: 100...300)
            try await waitUntil("round \(round): the consumer applying", timeout: .seconds(90)) {
                try await run.applied() >= before + step
            }
            let justBefore = try await run.applied()
            try await waitUntil("round \(round): still applying", timeout: .seconds(30)) { try await run.applied() > justBefore }
            await kill9(consumer)
            let atKill = try await run.applied()
            #expect(atKill > justBefore && atKill < total, "round \(round): killed mid-flow at \(atKill) of \(total)")
            consumer = try run.startConsumer()
        }
        #expect(await waitForExit(writer, timeout: .seconds(60)) && writer.terminationStatus == 0)
        #expect(try await run.waitUntilApplied(total, seconds: 120))
        try await run.markEveryPartition(4)
        #expect(try await run.applied() == total, "every event applied exactly once")
        #expect(try await run.distinctApplied() == total)
        #expect(try await run.violations() == 0, "per-key order held")

        consumer.terminate()
        #expect(await waitForExit(consumer, timeout: .seconds(30)))
        let produced = try await highWatermarks(run, partitions: 4)
        let committed = try await committedTotal(run, partitions: 4)
        #expect(produced == total + 4, "the events and one marker per partition")
        #expect(committed == produced, "consumer lag is 0")
        relay.terminate()
        _ = await waitForExit(relay, timeout: .seconds(20))
        await run.finish()
    }

    @Test func sigtermUnderLoadExitsCleanlyWithOffsetsCommitted() async throws {
        let total = 6_000
        let run = try await ProbeRun.make(partitions: 4)
        defer { run.bag.terminateAll() }
        let relay = try run.startRelay()
        let writer = try run.startWriter(count: total, keys: 30, batch: 20, rate: 1_500)
        let consumer = try run.startConsumer()
        #expect(try await eventually(timeout: .seconds(30)) { try await run.applied() > 500 })

        kill(consumer.processIdentifier, SIGTERM)
        #expect(await waitForExit(consumer, timeout: .seconds(30)), "stopped within 30 s of SIGTERM")
        #expect(consumer.terminationStatus == 0)
        // Everything it applied is committed, and nothing it committed is unapplied.
        let committed = try await committedTotal(run, partitions: 4)
        #expect(committed == (try await run.applied()))

        let again = try run.startConsumer()
        #expect(await waitForExit(writer, timeout: .seconds(60)) && writer.terminationStatus == 0)
        #expect(try await run.waitUntilApplied(total, seconds: 180))
        try await run.markEveryPartition(4)
        #expect(try await run.applied() == total)
        #expect(try await run.distinctApplied() == total)
        #expect(try await run.violations() == 0)
        for process in [again, relay] { process.terminate(); _ = await waitForExit(process, timeout: .seconds(20)) }
        await run.finish()
    }

    /// Records on the topic: the high watermarks, summed over its partitions.
    func highWatermarks(_ run: ProbeRun, partitions: Int) async throws -> Int {
        let admin = try KafkaAdmin(brokers: run.environment.brokers, logger: flowLogger)
        var total = 0
        for partition in 0..<Int32(partitions) {
            total += Int(try await admin.watermarks(topic: run.topic, partition: partition).high)
        }
        return total
    }

    /// The group's committed offsets, summed over the topic's partitions. Read
    /// with a reader that never joins the group, so the check itself causes
    /// no rebalance for the consumer started next.
    func committedTotal(_ run: ProbeRun, partitions: Int) async throws -> Int {
        let reader = try KafkaPartitionReader(brokers: run.environment.brokers, groupId: run.group, logger: flowLogger)
        let offsets = try await reader.committed(topic: run.topic, partitions: (0..<Int32(partitions)).map { $0 })
        await reader.close()
        return offsets.values.reduce(0) { $0 + Int(max(0, $1)) }
    }
}
