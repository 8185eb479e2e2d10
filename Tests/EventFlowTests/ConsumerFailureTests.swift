import Domain
import EventFlow
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Kafka
import Logging
import Postgres
import Synchronization
import TestSupport
import Testing

/// The consumer's failure table (docs/architecture.md, ⑦ and ⑧), in process
/// against the dev broker: a handler's ordinary error, transient errors and
/// SQLSTATE 40001, a refused offset commit.
@Suite struct ConsumerFailureTests {
    static let type = "cn.gov.fangxian.shuangjian.probe.item.changed.v1"

    struct Item: Codable, Sendable { var key: String; var version: Int }

    /// One test's database (EventFlow's tables plus `applied`), topic and group.
    struct World {
        let environment: FlowEnvironment
        let brokers: String
        let topic: String
        let group = "failures-" + UUID().uuidString.prefix(8).lowercased()
        let pool: PostgresPool

        static func make(brokers: String? = nil, topic: String? = nil) async throws -> World {
            let environment = try FlowEnvironment()
            let pool = environment.pool(try await environment.makeDatabase())
            try await EventFlowSchema.migrate(pool, logger: flowLogger)
            try await pool.execute("CREATE TABLE applied (event_id text NOT NULL, key text NOT NULL, runs integer NOT NULL)")
            var name = topic
            if name == nil { name = try await environment.makeTopic(partitions: 1) }
            return World(environment: environment, brokers: brokers ?? environment.brokers, topic: name!, pool: pool)
        }

        func send(_ keys: [String]) async throws -> [String] {
            let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(brokers: brokers), logger: flowLogger)
            var ids: [String] = []
            var records: [KafkaRecord] = []
            for (n, key) in keys.enumerated() {
                let id = UUID().uuidString.lowercased()
                ids.append(id)
                records.append(CloudEvent(
                    id: id, source: "/test", type: ConsumerFailureTests.type, time: Date(),
                    data: Array(#"{"key":"\#(key)","version":\#(n + 1)}"#.utf8)
                ).kafkaRecord(topic: topic, key: key))
            }
            for result in await producer.send(records) { _ = try result.get() }
            await producer.close()
            return ids
        }

        /// Runs an EventConsumer with `handle` until `done` holds; then stops it gracefully.
        func consume(
            _ handle: @escaping @Sendable (ConsumedEvent<Item>, PostgresConnection) async throws -> Void,
            until done: () async throws -> Bool
        ) async throws {
            var handlers = EventHandlers()
            handlers.on(ConsumerFailureTests.type, Item.self) { event, connection in
                try await handle(event, connection)
                try await connection.execute("""
                    INSERT INTO applied (event_id, key, runs) VALUES (\(event.event.id), \(event.payload.key), 1)
                    """)
            }
            let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(brokers: brokers), logger: flowLogger)
            var configuration = EventConsumerConfiguration(brokers: brokers, group: group, topics: [topic])
            configuration.minBackoff = .milliseconds(10)
            configuration.maxBackoff = .milliseconds(100)
            let consumer = EventConsumer(
                pool: pool, producer: producer, handlers: handlers, configuration: configuration, logger: flowLogger)
            let running = Task { try await consumer.run() }
            defer { running.cancel() }
            try await waitUntil("the consumer's work", timeout: .seconds(90), done)
            running.cancel()
            _ = try? await running.value
            await producer.close()
        }

        func appliedIds() async throws -> [String] {
            try await pool.query("SELECT event_id FROM applied ORDER BY event_id").map { try $0.decode(0, as: String.self) }
        }
    }

    /// Counts runs per event id across transactions (a rolled-back run leaves no row).
    final class Runs: Sendable {
        private let counts = Mutex<[String: Int]>([:])
        func next(_ id: String) -> Int { counts.withLock { $0[id, default: 0] += 1; return $0[id]! } }
        func count(_ id: String) -> Int { counts.withLock { $0[id] ?? 0 } }
    }

    @Test func anOrdinaryErrorGetsThreeRunsThenTheDeadLetterTopicAndTheOthersAreApplied() async throws {
        let world = try await World.make()
        let ids = try await world.send(["a", "bad", "c"])
        let runs = Runs()
        struct Broken: Error {}
        try await world.consume({ event, _ in
            _ = runs.next(event.event.id)
            if event.payload.key == "bad" { throw Broken() }
        }, until: { try await world.appliedIds().count == 2 && runs.count(ids[1]) >= 3 })
        #expect(Set(try await world.appliedIds()) == [ids[0], ids[2]])
        // Three runs on its own (after one in the batch, if it came in one with the others).
        #expect((3...4).contains(runs.count(ids[1])), "\(runs.count(ids[1])) runs")
        let dead = try await readTopic(Topic.deadLetter(of: world.topic, group: world.group), brokers: world.brokers, atLeast: 1)
        #expect(dead.count == 1)
        #expect(dead.first?.text("ce_id") == ids[1])
        #expect(dead.first?.text("dlq-attempts") == "3")
        #expect(dead.first?.text("dlq-error")?.contains("Broken") == true)
        #expect(try await world.pool.count("SELECT count(*)::int FROM inbox WHERE id = \(ids[1])") == 0, "not recorded as applied")
        await world.pool.close()
    }

    @Test(arguments: ["transient", "40001"])
    func aTransientFailureIsRetriedInPlaceAsLongAsItLastsAndNeverDeadLettered(_ kind: String) async throws {
        let world = try await World.make()
        let ids = try await world.send(["a", "b"])
        let runs = Runs()
        // Five failures: more than the three runs an ordinary error gets.
        try await world.consume({ event, connection in
            guard runs.next(event.event.id) <= 5 else { return }
            if kind == "transient" { throw TransientEventError("the directory is briefly unavailable") }
            try await connection.execute("DO $$ BEGIN RAISE EXCEPTION 'serialization' USING ERRCODE = '40001'; END $$")
        }, until: { try await world.appliedIds().count == 2 })
        #expect(Set(try await world.appliedIds()) == Set(ids), "each applied once")
        #expect(runs.count(ids[0]) >= 6, "five failures, then the run that held")
        // The partition's end: a later event is applied after them, and no dead letter was written.
        let later = try await world.send(["z"])
        try await world.consume({ _, _ in }, until: { try await world.appliedIds().contains(later[0]) })
        #expect(try await world.appliedIds().count == 3)
        let admin = try KafkaAdmin(brokers: world.brokers, logger: flowLogger)
        let dlq = Topic.deadLetter(of: world.topic, group: world.group)
        let exists = try await admin.listTopics().contains { $0.name == dlq }
        if exists { #expect(try await admin.watermarks(topic: dlq, partition: 0).high == 0) }
        await world.pool.close()
    }

    /// ⑧: the coordinator refuses the offset commit (REBALANCE_IN_PROGRESS,
    /// twice): the consumer keeps the offsets and commits them on a later
    /// turn, so the group's committed offset reaches the end and a restarted
    /// consumer applies nothing again. A private dev broker: injected errors
    /// are the whole cluster's.
    @Test func aRefusedOffsetCommitIsRetriedAndNothingAppliesTwice() async throws {
        let (broker, brokers, control) = try await startPrivateBroker()
        defer { broker.terminate() }
        let topic = "shuangjian.test.commit-\(UUID().uuidString.prefix(8).lowercased())"
        try await DevBrokerClientForTests(control).createTopic(topic, partitions: 1)
        let world = try await World.make(brokers: brokers, topic: topic)
        let ids = try await world.send(["a", "b", "c"])
        try await DevBrokerClientForTests(control).pushErrors(apiKey: 8, errors: [27, 27])  // OffsetCommit: REBALANCE_IN_PROGRESS
        try await world.consume({ _, _ in }, until: {
            guard try await world.appliedIds().count == 3 else { return false }
            let reader = try KafkaPartitionReader(brokers: brokers, groupId: world.group, logger: flowLogger)
            defer { Task { await reader.close() } }
            return try await reader.committed(topic: topic, partitions: [0])[0] == 3
        })
        // Started again: everything is behind the committed offset; a later event marks the end.
        let later = try await world.send(["z"])
        try await world.consume({ _, _ in }, until: { try await world.appliedIds().contains(later[0]) })
        #expect(Set(try await world.appliedIds()) == Set(ids + later))
        #expect(try await world.appliedIds().count == 4, "nothing applied twice")
        await world.pool.close()
    }
}

/// A dev broker of the test's own; returns its process, bootstrap and control address.
func startPrivateBroker() async throws -> (Process, String, String) {
    let environment = try FlowEnvironment()
    let logs = FileManager.default.temporaryDirectory.appendingPathComponent("private-broker-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
    let broker = try await startDevBrokerWithControl(bin: environment.binDirectory, logDirectory: logs)
    return (broker.process, broker.brokers, broker.control)
}

/// The dev broker's control API (topics, injected request errors).
struct DevBrokerClientForTests {
    let base: String
    init(_ base: String) { self.base = base }

    func createTopic(_ name: String, partitions: Int) async throws {
        try await post("/topics", ["name": name, "partitions": partitions])
    }

    func pushErrors(apiKey: Int, errors: [Int]) async throws {
        try await post("/errors", ["apiKey": apiKey, "errors": errors])
    }

    private func post(_ path: String, _ body: [String: Any]) async throws {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let status = (response as? HTTPURLResponse)?.statusCode, (200..<300).contains(status) else {
            throw FlowTestError("\(path): \(String(decoding: data, as: UTF8.self))")
        }
    }
}
