import ArgumentParser
import EventFlow
import Foundation
import Kafka
import Logging
import Postgres

/// The whole event flow of DESIGN.md §4 in one process: a state change
/// committed with its outbox row → relay → Kafka → an idempotent consumer's
/// inbox and effect committed. Prints events/s and p50/p99 latency (from the
/// business COMMIT to the effect's COMMIT) at a fixed rate and at the
/// maximum rate, beside pgbench's batched-insert rate on the same server.
struct PipelineBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline", abstract: "Outbox → relay → Kafka → inbox: events/s and latency.")

    @Option(help: "libpq connection URI of the database to use (its outbox and inbox are emptied).")
    var url = "postgresql://shuangjian@127.0.0.1:55432/shuangjian_test"
    @Option(help: "Kafka bootstrap servers.") var brokers = "127.0.0.1:9092"
    @Option(help: "The dev broker's control API, to create the topic.") var control = "http://127.0.0.1:9093"
    @Option(help: "Events per second in the fixed-rate phase.") var rate = 1_000
    @Option(help: "Seconds of the fixed-rate phase.") var seconds = 10
    @Option(help: "Events in the maximum-rate phase.") var events = 100_000
    @Option(help: "Concurrent writers in the maximum-rate phase.") var writers = 4
    @Option(help: "Events per business transaction in the maximum-rate phase.") var batch = 100
    @Option(help: "Partitions of the benchmark topic.") var partitions = 8
    @Option(help: "Consumers in the group (as replicas would be), each with its own connections.") var consumers = 2
    @Option(help: "pgbench executable.") var pgbench = "/usr/lib/postgresql/15/bin/pgbench"

    static let type = "cn.gov.fangxian.shuangjian.bench.item.changed.v1"
    static let keys = 1_000

    struct Changed: Codable, Sendable {
        var key: String
        var version: Int
    }

    func run() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let database = PostgresConfiguration(connectionString: url, poolSize: 8)
        let pool = PostgresPool(database, logger: logger)
        try await prepare(pool, logger: logger)
        let topic = "shuangjian.bench.pipeline." + UUID().uuidString.prefix(8).lowercased()
        guard let controlURL = URL(string: control) else { throw BenchFailure("bad --control \(control)") }
        try await DevBrokerClient(base: controlURL).createTopic(topic, partitions: Int32(partitions))

        let recorder = LatencyRecorder()
        let producer = try KafkaProducer(configuration: .eventFlow(brokers: brokers, clientId: "bench-pipeline"), logger: logger)
        let relay = OutboxRelay(
            database: database, producer: producer,
            configuration: OutboxRelayConfiguration(source: "/shuangjian/bench"), logger: logger)
        var consumerConfiguration = EventConsumerConfiguration(brokers: brokers, group: "bench-pipeline", topics: [topic])
        consumerConfiguration.afterCommit = { recorder.applied($0) }
        let relayTask = Task { try await relay.run() }
        let consumerTasks = (0..<consumers).map { _ in
            let consumer = EventConsumer(
                pool: pool, producer: producer, handlers: Self.handlers(), configuration: consumerConfiguration, logger: logger)
            return Task { try await consumer.run() }
        }
        defer {
            relayTask.cancel()
            for task in consumerTasks { task.cancel() }
        }

        let writer = Writer(pool: pool, topic: topic)
        // Warm-up: the consumer joins its group and every connection opens.
        try await writer.write(count: 2_000, batch: 100, from: 0, recorder: recorder)
        try await waitUntilApplied(2_000, recorder)
        _ = recorder.takeLatencies()

        // Fixed rate: one event per business transaction, on schedule.
        let fixedCount = rate * seconds
        let fixedStart = ContinuousClock.now
        for n in 0..<fixedCount {
            try await writer.write(count: 1, batch: 1, from: 2_000 + n, recorder: recorder)
            let due = fixedStart + .microseconds(Int64(n + 1) * 1_000_000 / Int64(rate))
            if due > .now { try await Task.sleep(until: due) }
        }
        try await waitUntilApplied(2_000 + fixedCount, recorder)
        let fixedElapsed = recorder.lastApplied - fixedStart
        let fixedLatencies = recorder.takeLatencies()

        // Maximum rate: several writers, batched business transactions.
        let maxStart = ContinuousClock.now
        let first = 2_000 + fixedCount
        let perWriter = events / writers
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<writers {
                group.addTask {
                    try await writer.write(count: perWriter, batch: batch, from: first + w * perWriter, recorder: recorder)
                }
            }
            try await group.waitForAll()
        }
        let writtenElapsed = ContinuousClock.now - maxStart
        try await waitUntilApplied(first + perWriter * writers, recorder)
        let maxElapsed = recorder.lastApplied - maxStart
        let maxLatencies = recorder.takeLatencies()

        relayTask.cancel()
        _ = try? await relayTask.value
        for task in consumerTasks {
            task.cancel()
            _ = try? await task.value
        }
        await producer.close()

        let raw = try await PgBench(executable: pgbench, url: url, clients: 8).rowsPerSecond(
            script: PgBench.batchInsertScript(rows: 100, payload: String(repeating: "双减", count: 40)),
            rowsPerTransaction: 100, transactions: 200)
        try await pool.execute("DROP TABLE IF EXISTS bench_rows")
        await pool.close()

        print("pipeline: business COMMIT → outbox → relay → Kafka (\(partitions) partitions) → \(consumers) consumer(s): inbox + effect COMMIT")
        print(String(
            format: "  fixed rate  %6d events/s for %d s: achieved %8.0f events/s   p50 %6.1f ms   p99 %6.1f ms",
            rate, seconds, Double(fixedCount) / fixedElapsed.seconds,
            fixedLatencies.percentileMilliseconds(0.5), fixedLatencies.percentileMilliseconds(0.99)))
        print(String(
            format: "  max rate    %6d events, %d writers × %d per tx: %8.0f events/s end to end (written at %.0f/s)   p50 %6.1f ms   p99 %6.1f ms",
            perWriter * writers, writers, batch, Double(perWriter * writers) / maxElapsed.seconds,
            Double(perWriter * writers) / writtenElapsed.seconds,
            maxLatencies.percentileMilliseconds(0.5), maxLatencies.percentileMilliseconds(0.99)))
        print(String(format: "  raw         pgbench 100-row batched inserts, 8 clients: %8.0f rows/s", raw))
    }

    private func prepare(_ pool: PostgresPool, logger: Logger) async throws {
        try await EventFlowSchema.migrate(pool, logger: logger)
        try await pool.withConnection { connection in
            try await connection.executeScript("""
                CREATE TABLE IF NOT EXISTS bench_state (key text PRIMARY KEY, version integer NOT NULL);
                CREATE TABLE IF NOT EXISTS bench_effects (id text NOT NULL, key text NOT NULL, version integer NOT NULL);
                DROP TABLE IF EXISTS bench_rows;
                CREATE TABLE bench_rows (id bigint NOT NULL, payload text NOT NULL, created_at timestamptz NOT NULL);
                TRUNCATE outbox, inbox, bench_state, bench_effects;
                """)
        }
    }

    private func waitUntilApplied(_ count: Int, _ recorder: LatencyRecorder) async throws {
        let deadline = ContinuousClock.now + .seconds(300)
        while recorder.appliedCount < count {
            guard ContinuousClock.now < deadline else {
                throw BenchFailure("only \(recorder.appliedCount) of \(count) events applied within 300 s")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    static func handlers() -> EventHandlers {
        var handlers = EventHandlers()
        handlers.on(type, Changed.self) { event, connection in
            try await connection.execute("""
                INSERT INTO bench_effects (id, key, version) VALUES (\(event.event.id), \(event.payload.key), \(event.payload.version))
                """)
        }
        return handlers
    }

    /// Business transactions: bump each key's version and write its event.
    struct Writer: Sendable {
        let pool: PostgresPool
        let topic: String

        func write(count: Int, batch: Int, from first: Int, recorder: LatencyRecorder) async throws {
            var done = 0
            while done < count {
                let size = Swift.min(batch, count - done)
                // Consecutive numbers are distinct keys within a batch (batch ≤ keys).
                let keys = (0..<size).map { "item-\((first + done + $0) % PipelineBenchCommand.keys)" }
                let ids = try await pool.transaction { connection -> [String] in
                    let rows = try await connection.query("""
                        INSERT INTO bench_state (key, version) SELECT k, 1 FROM unnest(\(keys)) AS k
                        ON CONFLICT (key) DO UPDATE SET version = bench_state.version + 1
                        RETURNING key, version
                        """)
                    var events: [OutboxEvent] = []
                    for row in rows {
                        let (key, version) = try row.decode((String, Int).self)
                        events.append(try OutboxEvent(
                            topic: topic, aggregateType: "item", aggregateId: key, type: PipelineBenchCommand.type,
                            payload: Changed(key: key, version: version)))
                    }
                    try await Outbox.append(events, on: connection)
                    return events.map { $0.id.uuidString.lowercased() }
                }
                recorder.committed(ids)
                done += size
            }
        }
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
