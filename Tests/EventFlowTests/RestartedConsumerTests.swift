import Foundation
import TestSupport
import Testing

/// A consumer killed and started again in place (same replica, same
/// `group.instance.id`) is back at work: it holds every partition again and
/// applies new events. What makes it quick is configured, and shown here:
/// a 6 s group session (a crashed member's partitions are free after it, not
/// librdkafka's 45 s) and static membership, with which a real broker hands a
/// restarted member its partitions without a rebalance. (The dev broker's
/// mock coordinator ignores static membership; there the session timeout
/// alone frees them.) No wall-clock speed is asserted: the machine is shared.
@Suite struct RestartedConsumerTests {
    @Test func aConsumerRestartedInPlaceGetsItsPartitionsBackAndAppliesNewEvents() async throws {
        let run = try await ProbeRun.make(partitions: 4)
        defer { run.bag.terminateAll() }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("restarted-\(UUID().uuidString.prefix(8)).log")
        let instance = ["--instance-id", "probe-replica-0"]
        let relay = try run.startRelay()
        try await run.write(count: 200, keys: 20, batch: 20)
        var consumer = try run.startConsumer(extra: instance, log: log)
        #expect(try await run.waitUntilApplied(200))
        #expect(try await eventually { assignedAll(in: log, occurrence: 1) })

        await kill9(consumer)
        consumer = try run.startConsumer(extra: instance, log: log)
        try await run.write(count: 200, keys: 20, batch: 20)
        #expect(try await run.waitUntilApplied(400, seconds: 120))
        // The restarted process announced the same membership and got all four partitions.
        #expect(try await eventually { assignedAll(in: log, occurrence: 2) })
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        let starts = text.split(separator: "\n").filter { $0.contains("consuming") }
        #expect(starts.count == 2, "\(starts)")
        #expect(starts.allSatisfy { $0.contains("group_instance_id=probe-replica-0") && $0.contains("session_timeout_ms=6000") }, "\(starts)")
        #expect(try await run.distinctApplied() == 400)
        #expect(try await run.applied() == 400, "nothing applied twice across the crash")
        #expect(try await run.violations() == 0)

        for process in [consumer, relay] { process.terminate(); _ = await waitForExit(process, timeout: .seconds(20)) }
        await run.finish()
    }

    /// Whether the `occurrence`-th process's log shows it holding all 4 partitions.
    func assignedAll(in log: URL, occurrence: Int) -> Bool {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        let lines = text.split(separator: "\n")
        // Each process's lines follow its "consuming" line.
        var process = 0
        for line in lines {
            if line.contains("consuming") { process += 1 }
            if process == occurrence, line.contains("partitions assigned"), line.contains("count=4") { return true }
        }
        return false
    }
}
