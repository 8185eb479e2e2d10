import EventFlow
import Foundation
import Kafka
import Postgres
import TestSupport
import Testing

/// The relay's failure table (docs/architecture.md, ② and ③) and its
/// housekeeping.
@Suite struct RelayFailureTests {
    struct Changed: Codable, Sendable { var key: String; var version: Int }

    func append(_ pool: PostgresPool, topic: String, key: String, versions: ClosedRange<Int>) async throws -> [UUID] {
        let events = try versions.map {
            try OutboxEvent(topic: topic, aggregateType: "item", aggregateId: key, type: "t.changed.v1", payload: Changed(key: key, version: $0))
        }
        try await pool.transaction { connection in try await Outbox.append(events, on: connection) }
        return events.map(\.id)
    }

    struct Row: Equatable { var published: Bool; var attempts: Int; var lastError: String? }

    func row(_ pool: PostgresPool, _ id: UUID) async throws -> Row {
        let rows = try await pool.query("SELECT published_at IS NOT NULL, attempts, last_error FROM outbox WHERE id = \(id)")
        let (published, attempts, error) = try rows[0].decode((Bool, Int, String?).self)
        return Row(published: published, attempts: attempts, lastError: error)
    }

    /// ③: a round whose delivery fails marks the rows before the failure,
    /// records `attempts` and `last_error` on the failed one, marks nothing
    /// after it, and retries after a backoff; on the topic the failed
    /// event still comes before the later one of its key. A private broker:
    /// injected errors are the whole cluster's.
    @Test func aFailedDeliveryIsRecordedAndNothingAfterItIsMarked() async throws {
        let (broker, brokers, control) = try await startPrivateBroker()
        defer { broker.terminate() }
        let environment = try FlowEnvironment()
        let database = try await environment.makeDatabase()
        let pool = environment.pool(database)
        try await EventFlowSchema.migrate(pool, logger: flowLogger)
        let topic = "shuangjian.test.relay-\(UUID().uuidString.prefix(8).lowercased())"
        try await DevBrokerClientForTests(control).createTopic(topic, partitions: 1)

        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(brokers: brokers), logger: flowLogger)
        let configuration = OutboxRelayConfiguration(source: "/shuangjian/test")
        let relay = OutboxRelay(
            database: PostgresConfiguration(connectionString: database, poolSize: 1), producer: producer,
            configuration: configuration, logger: flowLogger)
        let running = Task { try await relay.run() }
        defer { running.cancel() }

        let first = try await append(pool, topic: topic, key: "a", versions: 1...1)
        try await waitUntil("the first event published") { try await row(pool, first[0]).published }

        // The next Produce requests fail for good (TOPIC_AUTHORIZATION_FAILED), twice.
        try await DevBrokerClientForTests(control).pushErrors(apiKey: 0, errors: [29, 29])
        let later = try await append(pool, topic: topic, key: "a", versions: 2...3)

        // Retried after backoff until the errors run out; then both are published.
        try await waitUntil("both published after the failures", timeout: .seconds(60)) {
            let a = try await row(pool, later[0]).published
            let b = try await row(pool, later[1]).published
            return a && b
        }
        #expect(try await row(pool, first[0]) == Row(published: true, attempts: 1, lastError: nil))
        // The failed event: a count per failed round plus the one that
        // delivered, and the broker's reason kept.
        let failed = try await row(pool, later[0])
        #expect(failed.attempts >= 2, "\(failed)")
        #expect(failed.lastError?.lowercased().contains("authoriz") == true, "\(failed)")
        // The event after it was never marked in a failed round: one count, no error.
        #expect(try await row(pool, later[1]) == Row(published: true, attempts: 1, lastError: nil))
        let messages = try await readTopic(topic, brokers: brokers, atLeast: 3, seconds: 30)
        let order = messages.compactMap { $0.text("ce_id") }
        let ids = (first + later).map { $0.uuidString.lowercased() }
        #expect(order.first == ids[0])
        if let v2 = order.firstIndex(of: ids[1]), let v3 = order.firstIndex(of: ids[2]) {
            #expect(v2 < v3, "the failed event comes before the later one of its key")
        } else {
            Issue.record("not both on the topic: \(order)")
        }
        running.cancel()
        _ = try? await running.value
        await producer.close()
        await pool.close()
    }

    /// Published rows older than the retention are deleted by the relay's
    /// housekeeping; rows not yet published never are.
    @Test func publishedRowsArePrunedAfterTheRetention() async throws {
        let environment = try FlowEnvironment()
        let database = try await environment.makeDatabase()
        let pool = environment.pool(database)
        try await EventFlowSchema.migrate(pool, logger: flowLogger)
        let topic = try await environment.makeTopic(partitions: 1)
        let ids = try await append(pool, topic: topic, key: "a", versions: 1...5)
        // A row published eight days ago, as if from last week.
        try await pool.execute("""
            INSERT INTO outbox (id, aggregatetype, aggregateid, topic, type, payload, occurred_at, published_at)
            VALUES (gen_random_uuid(), 'item', 'old', \(topic), 't.v1', '{}', now() - interval '8 days', now() - interval '8 days')
            """)

        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(brokers: environment.brokers), logger: flowLogger)
        var configuration = OutboxRelayConfiguration(source: "/shuangjian/test")
        configuration.housekeepingInterval = .milliseconds(200)
        configuration.retention = .seconds(3600)
        let relay = OutboxRelay(
            database: PostgresConfiguration(connectionString: database, poolSize: 1), producer: producer,
            configuration: configuration, logger: flowLogger)
        let running = Task { try await relay.run() }
        defer { running.cancel() }
        try await waitUntil("the old published row pruned") {
            try await pool.count("SELECT count(*)::int FROM outbox WHERE aggregateid = 'old'") == 0
        }
        // The fresh rows, published within the retention, are kept.
        let kept = ids.map { $0.uuidString.lowercased() }
        let published = try await pool.count("SELECT count(*)::int FROM outbox WHERE id::text = ANY(\(kept)) AND published_at IS NOT NULL")
        #expect(published == 5)
        running.cancel()
        _ = try? await running.value
        await producer.close()
        await pool.close()
    }

    /// ②: a standby relay (another replica) waits on the advisory lock and
    /// takes over when the active one dies. Two probe processes.
    @Test func aStandbyRelayTakesOverWhenTheActiveOneDies() async throws {
        let run = try await ProbeRun.make(partitions: 2)
        defer { run.bag.terminateAll() }
        let logA = FileManager.default.temporaryDirectory.appendingPathComponent("relay-a-\(UUID().uuidString.prefix(8)).log")
        let logB = FileManager.default.temporaryDirectory.appendingPathComponent("relay-b-\(UUID().uuidString.prefix(8)).log")
        let active = try run.startRelay(log: logA)
        try await waitUntil("relay A active") { (try? String(contentsOf: logA, encoding: .utf8))?.contains("outbox relay active") == true }
        let standby = try run.startRelay(log: logB)
        try await waitUntil("relay B standing by") {
            (try? String(contentsOf: logB, encoding: .utf8))?.contains("standing by") == true
        }
        try await run.write(count: 50)
        try await waitUntil("published by A") { try await run.unpublished() == 0 }

        await kill9(active)
        try await run.write(count: 50)
        try await waitUntil("B active", timeout: .seconds(60)) {
            (try? String(contentsOf: logB, encoding: .utf8))?.contains("outbox relay active") == true
        }
        try await waitUntil("published by B", timeout: .seconds(60)) { try await run.unpublished() == 0 }
        #expect(try await run.pool.count("SELECT count(*)::int FROM outbox WHERE published_at IS NOT NULL") == 100)
        standby.terminate()
        _ = await waitForExit(standby, timeout: .seconds(20))
        await run.finish()
    }
}
