import Domain
import EventFlow
import Foundation
import Kafka
import TestSupport
import Testing

/// Records as county systems or a faulty producer may send them: twice,
/// malformed, of an unknown type. Consumed by the probe as a separate process.
@Suite struct DeliveryTests {
    static let changed = "cn.gov.fangxian.shuangjian.probe.item.changed.v1"
    static let flagged = "cn.gov.fangxian.shuangjian.probe.item.flagged.v1"

    func event(_ type: String, _ json: String, id: String = UUID().uuidString, topic: String, key: String) -> KafkaRecord {
        CloudEvent(id: id, source: "/test", type: type, time: Date(), data: Array(json.utf8)).kafkaRecord(topic: topic, key: key)
    }

    @Test func tenPercentProducedTwiceChangesNothing() async throws {
        let run = try await ProbeRun.make(partitions: 4)
        defer { run.bag.terminateAll() }
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(brokers: run.environment.brokers), logger: flowLogger)
        var versions: [String: Int] = [:]
        var records: [KafkaRecord] = []
        for n in 0..<1_000 {
            let key = "item-\(n % 10)"
            versions[key, default: 0] += 1
            records.append(event(Self.changed, #"{"key":"\#(key)","version":\#(versions[key]!)}"#, topic: run.topic, key: key))
        }
        var withDuplicates: [KafkaRecord] = []
        for (n, record) in records.enumerated() {
            withDuplicates.append(record)
            if n % 20 == 0 { withDuplicates.append(record) }  // at once: 5%
        }
        withDuplicates += records.enumerated().filter { $0.offset % 20 == 10 }.map(\.element)  // much later: 5%
        #expect(withDuplicates.count == 1_100)
        for result in await producer.send(withDuplicates) { _ = try result.get() }
        await producer.close()

        let consumer = try run.startConsumer()
        #expect(try await run.waitUntilApplied(1_000))
        try await run.markEveryPartition(4)
        #expect(try await run.applied() == 1_000)
        #expect(try await run.violations() == 0)
        consumer.terminate()
        _ = await waitForExit(consumer, timeout: .seconds(20))
        await run.finish()
    }

    @Test func malformedRecordsGoToTheDeadLetterTopicAndReplayAppliesThemOnce() async throws {
        let run = try await ProbeRun.make(partitions: 1)
        defer { run.bag.terminateAll() }
        let topic = run.topic
        let negativeId = UUID().uuidString
        let notJSON = KafkaRecord(
            topic: topic, key: Array("a".utf8), value: Array("not json".utf8),
            headers: event(Self.changed, "{}", topic: topic, key: "a").headers)
        var noType = event(Self.changed, #"{"key":"a","version":9}"#, topic: topic, key: "a")
        noType.headers.removeAll { $0.key == "ce_type" }
        let records = [
            event(Self.changed, #"{"key":"a","version":1}"#, topic: topic, key: "a"),
            notJSON,
            event(Self.changed, #"{"key":"a","version":2}"#, topic: topic, key: "a"),
            noType,
            event(Self.flagged, #"{"key":"a","flag":"high"}"#, topic: topic, key: "a"),
            event(Self.flagged, #"{"key":"a","flag":-1}"#, id: negativeId, topic: topic, key: "a"),
            event(Self.changed, #"{"key":"a","version":3}"#, topic: topic, key: "a"),
            event("cn.gov.fangxian.shuangjian.probe.item.unknown.v1", #"{"key":"a"}"#, topic: topic, key: "a"),
        ]
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(brokers: run.environment.brokers), logger: flowLogger)
        for result in await producer.send(records) { _ = try result.get() }
        await producer.close()

        let consumer = try run.startConsumer()
        // The partition keeps moving: the valid records after the bad ones are applied.
        #expect(try await run.waitUntilApplied(3))
        #expect(try await eventually(timeout: .seconds(20)) {
            try await run.pool.count("SELECT count(*)::int FROM inbox WHERE outcome = 'unknown-type'") == 1
        })
        let deadLetterTopic = Topic.deadLetter(of: topic, group: run.group)
        let dead = try await readTopic(deadLetterTopic, brokers: run.environment.brokers, atLeast: 4)
        #expect(dead.count == 4)
        #expect(dead.compactMap { $0.text("dlq-original-offset") } == ["1", "3", "4", "5"])
        #expect(dead.allSatisfy { $0.text("dlq-original-topic") == topic && $0.text("dlq-consumer-group") == run.group })
        #expect(dead.allSatisfy { $0.text("dlq-error") != nil && $0.text("dlq-attempts") == "1" })
        #expect(dead[3].text("ce_id") == negativeId, "the original headers are kept")
        #expect(dead[0].value == Array("not json".utf8))
        #expect(try await run.pool.count("SELECT count(*)::int FROM probe_flags") == 0)

        // The fix: a consumer that accepts negative flags; then replay.
        consumer.terminate()
        #expect(await waitForExit(consumer, timeout: .seconds(20)))
        let fixed = try run.startConsumer(acceptNegative: true)
        try await sjctl(run, ["dlq", "replay", "--topic", deadLetterTopic, "--all"])
        #expect(try await eventually(timeout: .seconds(30)) {
            try await run.pool.count("SELECT count(*)::int FROM probe_flags WHERE event_id = \(negativeId)") == 1
        })
        // Replaying it again applies nothing more.
        try await sjctl(run, ["dlq", "replay", "--topic", deadLetterTopic, "--offset", "\(dead[3].partition):\(dead[3].offset)"])
        try await run.markEveryPartition(1)
        #expect(try await run.pool.count("SELECT count(*)::int FROM probe_flags") == 1)
        #expect(try await run.applied() == 3)
        fixed.terminate()
        _ = await waitForExit(fixed, timeout: .seconds(20))
        await run.finish()
    }

    func sjctl(_ run: ProbeRun, _ arguments: [String]) async throws {
        let process = try run.environment.launch("sjctl", arguments + ["--brokers", run.environment.brokers])
        #expect(await waitForExit(process, timeout: .seconds(60)))
        #expect(process.terminationStatus == 0, "sjctl \(arguments.joined(separator: " "))")
    }
}
