import Domain
import EventFlow
import Foundation
import Kafka
import Postgres
import Synchronization
import TestSupport
import Testing

/// `onBatch` over several types with a `check`: a record the check rejects
/// is a dead letter at once, before any transaction, and the records around
/// it — of either type — are still applied together as one run (the batch
/// does not fall back to one transaction per record).
@Suite struct BatchCheckTests {
    static let types = ["cn.gov.fangxian.shuangjian.probe.a.v1", "cn.gov.fangxian.shuangjian.probe.b.v1"]

    struct Item: Codable, Sendable { var name: String }

    @Test func aRejectedRecordIsADeadLetterAndItsNeighboursStayOneRun() async throws {
        let environment = try FlowEnvironment()
        let pool = environment.pool(try await environment.makeDatabase())
        try await EventFlowSchema.migrate(pool, logger: flowLogger)
        try await pool.execute("CREATE TABLE applied (name text NOT NULL)")
        let topic = try await environment.makeTopic(partitions: 1)
        let group = "batch-check-" + UUID().uuidString.prefix(8).lowercased()

        // Produced before the consumer starts, so its first poll holds all three.
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(brokers: environment.brokers), logger: flowLogger)
        let records = [("good-1", Self.types[0]), ("bad", Self.types[1]), ("good-2", Self.types[1])].map { name, type in
            CloudEvent(id: UUID().uuidString, source: "/test", type: type, time: Date(), data: Array(#"{"name":"\#(name)"}"#.utf8))
                .kafkaRecord(topic: topic, key: "k")
        }
        for result in await producer.send(records) { _ = try result.get() }

        let runs = Runs()
        var handlers = EventHandlers()
        handlers.onBatch(Self.types, Item.self, check: { event in
            if event.payload.name == "bad" { throw EventRejected("name: must not be bad") }
        }) { events, connection in
            runs.all.withLock { $0.append(events.map(\.payload.name)) }
            for event in events { try await connection.execute("INSERT INTO applied (name) VALUES (\(event.payload.name))") }
        }
        let consumer = EventConsumer(
            pool: pool, producer: producer, handlers: handlers,
            configuration: EventConsumerConfiguration(brokers: environment.brokers, group: group, topics: [topic]), logger: flowLogger)
        let running = Task { try await consumer.run() }
        let dead = try await readTopic(Topic.deadLetter(of: topic, group: group), brokers: environment.brokers, atLeast: 1, seconds: 60)
        try await waitUntil("both good records are applied", timeout: .seconds(60)) {
            try await pool.count("SELECT count(*)::int FROM applied") == 2
        }
        running.cancel()
        _ = try? await running.value
        await producer.close()
        await pool.close()

        #expect(dead.count == 1)
        #expect(dead.first?.text("dlq-error")?.contains("name: must not be bad") == true)
        #expect(runs.all.withLock { $0 } == [["good-1", "good-2"]])
    }

    /// The names each call of the handler got.
    final class Runs: Sendable {
        let all = Mutex<[[String]]>([])
    }
}
