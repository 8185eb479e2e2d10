import EventFlow
import Foundation
import Kafka
import Postgres
import TestSupport
import Testing

/// The outbox written in the business transaction, and the relay in-process.
@Suite struct OutboxTests {
    struct Changed: Codable, Sendable { var key: String; var version: Int }

    @Test func aRolledBackTransactionLeavesNoRowAndPublishesNothing() async throws {
        let environment = try FlowEnvironment()
        let database = try await environment.makeDatabase()
        let topic = try await environment.makeTopic(partitions: 2)
        let pool = environment.pool(database)
        try await EventFlowSchema.migrate(pool, logger: flowLogger)

        let kept = try OutboxEvent(topic: topic, aggregateType: "item", aggregateId: "a", type: "t.kept.v1", payload: Changed(key: "a", version: 1))
        let dropped = try OutboxEvent(topic: topic, aggregateType: "item", aggregateId: "a", type: "t.dropped.v1", payload: Changed(key: "a", version: 2))
        struct Abort: Error {}
        await #expect(throws: Abort.self) {
            try await pool.transaction { connection in
                try await Outbox.append(dropped, on: connection)
                throw Abort()
            }
        }
        try await pool.transaction { connection in try await Outbox.append(kept, on: connection) }
        #expect(try await pool.count("SELECT count(*)::int FROM outbox") == 1)

        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(brokers: environment.brokers), logger: flowLogger)
        let relay = OutboxRelay(
            database: PostgresConfiguration(connectionString: database, poolSize: 1), producer: producer,
            configuration: OutboxRelayConfiguration(source: "/shuangjian/test"), logger: flowLogger)
        let running = Task { try await relay.run() }
        #expect(try await eventually(timeout: .seconds(20)) {
            try await pool.count("SELECT count(*)::int FROM outbox WHERE published_at IS NOT NULL") == 1
        })
        running.cancel()
        _ = try? await running.value
        await producer.close()

        let messages = try await readTopic(topic, brokers: environment.brokers, atLeast: 2, seconds: 5)
        #expect(messages.map { $0.text("ce_id") } == [kept.id.uuidString.lowercased()])
        #expect(messages.first?.text("ce_type") == "t.kept.v1")
        #expect(messages.first?.text("ce_source") == "/shuangjian/test")
        #expect(messages.first?.key == Array("a".utf8))
        await pool.close()
    }

    @Test func appendKeepsTheOrderOfItsEvents() async throws {
        let environment = try FlowEnvironment()
        let pool = environment.pool(try await environment.makeDatabase())
        try await EventFlowSchema.migrate(pool, logger: flowLogger)
        let events = try (1...50).map {
            try OutboxEvent(topic: "t", aggregateType: "item", aggregateId: "k", type: "t.v1", subject: $0 % 2 == 0 ? "items/k" : nil,
                            payload: Changed(key: "k", version: $0))
        }
        try await pool.transaction { connection in try await Outbox.append(events, on: connection) }
        let rows = try await pool.query("SELECT id, subject, (payload->>'version')::int FROM outbox ORDER BY seq")
        let decoded = try rows.map { try $0.decode((UUID, String?, Int).self) }
        #expect(decoded.map(\.0) == events.map(\.id))
        #expect(decoded.map(\.2) == Array(1...50))
        #expect(decoded[0].1 == nil && decoded[1].1 == "items/k")
        // Running the schema again changes nothing.
        #expect(try await EventFlowSchema.migrate(pool, logger: flowLogger).isEmpty)
        await pool.close()
    }
}
