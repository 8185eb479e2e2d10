import EventFlow
import Foundation
import Kafka
import TestSupport
import Testing

/// A consumer meets an event type it does not know yet; after it is
/// upgraded, `sjctl replay` gives it those events again and it applies each
/// once — across processes: the probe's old and new versions, and sjctl.
@Suite struct UpgradeTests {
    static let changed = "cn.gov.fangxian.shuangjian.probe.item.changed.v1"
    static let flagged = "cn.gov.fangxian.shuangjian.probe.item.flagged.v1"

    func event(_ type: String, _ json: String, id: String = UUID().uuidString, topic: String, key: String) -> KafkaRecord {
        CloudEvent(id: id, source: "/test", type: type, time: Date(), data: Array(json.utf8)).kafkaRecord(topic: topic, key: key)
    }

    func send(_ records: [KafkaRecord], _ run: ProbeRun) async throws {
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(brokers: run.environment.brokers), logger: flowLogger)
        for result in await producer.send(records) { _ = try result.get() }
        await producer.close()
    }

    @Test func anUpgradedConsumerAppliesWhatItOnceSkippedAfterAReplayAndOnlyOnce() async throws {
        let run = try await ProbeRun.make(partitions: 2)
        defer { run.bag.terminateAll() }
        let topic = run.topic
        let before = Date().addingTimeInterval(-60)
        try await send([
            event(Self.changed, #"{"key":"a","version":1}"#, topic: topic, key: "a"),
            event(Self.flagged, #"{"key":"a","flag":7}"#, topic: topic, key: "a"),
            event(Self.changed, #"{"key":"b","version":1}"#, topic: topic, key: "b"),
            event(Self.flagged, #"{"key":"b","flag":8}"#, topic: topic, key: "b"),
        ], run)

        // The old version applies what it knows and records the rest as unknown.
        let old = try run.startConsumer(withoutFlagged: true)
        #expect(try await run.waitUntilApplied(2))
        #expect(try await eventually {
            try await run.pool.count("SELECT count(*)::int FROM inbox WHERE outcome = 'unknown-type'") == 2
        })
        kill(old.processIdentifier, SIGTERM)
        #expect(await waitForExit(old, timeout: .seconds(30)) && old.terminationStatus == 0)

        // The upgrade alone changes nothing: those records are behind the
        // group's committed offsets. A later event shows the new version works.
        let upgraded = try run.startConsumer()
        try await send([event(Self.changed, #"{"key":"a","version":2}"#, topic: topic, key: "a")], run)
        #expect(try await run.waitUntilApplied(3))
        #expect(try await run.pool.count("SELECT count(*)::int FROM probe_flags") == 0)

        let output = try await sjctl(run, ["replay", "--group", run.group, "--topic", topic, "--from", RFC3339.format(before)])
        // The five it has been through: the two it skipped, and three applied.
        #expect(output.contains("2 of 5 events read from \(topic) replayed for \(run.group)"), "\(output)")
        #expect(try await eventually {
            try await run.pool.count("SELECT count(*)::int FROM probe_flags") == 2
        })
        #expect(try await run.pool.count("SELECT count(*)::int FROM inbox WHERE outcome = 'unknown-type'") == 0)

        // Again: nothing left to replay; and were the copies sent twice,
        // the inbox would skip them. A later event marks that all before it was handled.
        let again = try await sjctl(run, ["replay", "--group", run.group, "--topic", topic, "--from", "0"])
        #expect(again.contains(/\b0 of \d+ events read from/), "\(again)")
        try await send([event(Self.changed, #"{"key":"b","version":2}"#, topic: topic, key: "b")], run)
        #expect(try await run.waitUntilApplied(4))
        #expect(try await run.pool.count("SELECT count(*)::int FROM probe_flags") == 2)
        #expect(try await run.pool.count("SELECT count(DISTINCT event_id)::int FROM probe_flags") == 2)
        #expect(try await run.applied() == 4)
        #expect(try await run.violations() == 0)

        upgraded.terminate()
        _ = await waitForExit(upgraded, timeout: .seconds(20))
        await run.finish()
    }

    /// Runs sjctl with the run's brokers and database; returns its standard output.
    func sjctl(_ run: ProbeRun, _ arguments: [String]) async throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("sjctl-\(UUID().uuidString.prefix(8)).out")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let process = try run.environment.launch(
            "sjctl", arguments + ["--brokers", run.environment.brokers, "--database-url", run.database],
            stdout: try FileHandle(forWritingTo: output))
        #expect(await waitForExit(process, timeout: .seconds(60)))
        #expect(process.terminationStatus == 0, "sjctl \(arguments.joined(separator: " "))")
        return (try? String(contentsOf: output, encoding: .utf8)) ?? ""
    }
}
