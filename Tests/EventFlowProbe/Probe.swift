import ArgumentParser
import EventFlow
import Foundation
import Kafka
import Logging
import Postgres
import ServiceLifecycle

/// A small service-like process for the EventFlow tests: it writes state
/// changes with their outbox rows, runs a relay, or runs an idempotent
/// consumer whose effects let the tests check exactly-once and per-key order.
/// The tests start it, kill it with SIGKILL or SIGTERM, and start it again.
@main
struct Probe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eventflow-probe",
        subcommands: [SetupCommand.self, WriteCommand.self, RelayCommand.self, ConsumeCommand.self])
}

struct Connection: ParsableArguments {
    @Option(help: "PostgreSQL connection string") var database: String
    @Option(help: "Kafka bootstrap servers") var brokers: String = "127.0.0.1:9092"

    var pool: PostgresPool { PostgresPool(PostgresConfiguration(connectionString: database, poolSize: 4), logger: probeLogger) }
}

let probeLogger: Logger = {
    var logger = Logger(label: "eventflow-probe")
    logger.logLevel = ProcessInfo.processInfo.environment["PROBE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
    return logger
}()

enum ProbeType {
    static let changed = "cn.gov.fangxian.shuangjian.probe.item.changed.v1"
    static let flagged = "cn.gov.fangxian.shuangjian.probe.item.flagged.v1"
}

struct ItemChanged: Codable, Sendable {
    var key: String
    var version: Int
}

struct ItemFlagged: Codable, Sendable {
    var key: String
    var flag: Int
}

/// EventFlow's tables plus the probe's own, on both sides.
struct SetupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "setup")
    @OptionGroup var connection: Connection

    func run() async throws {
        let pool = connection.pool
        try await EventFlowSchema.migrate(pool, logger: probeLogger)
        try await pool.withConnection { connection in
            try await connection.executeScript("""
                CREATE TABLE IF NOT EXISTS probe_items (key text PRIMARY KEY, version integer NOT NULL);
                CREATE TABLE IF NOT EXISTS probe_state (key text PRIMARY KEY, version integer NOT NULL);
                CREATE TABLE IF NOT EXISTS probe_applied (event_id text NOT NULL, key text NOT NULL, version integer NOT NULL);
                CREATE TABLE IF NOT EXISTS probe_violations (key text NOT NULL, expected integer NOT NULL, got integer NOT NULL);
                CREATE TABLE IF NOT EXISTS probe_flags (event_id text NOT NULL, key text NOT NULL, flag integer NOT NULL);
                """)
        }
        await pool.close()
    }
}

/// State changes, each with its event in the same transaction.
struct WriteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "write")
    @OptionGroup var connection: Connection
    @Option var topic: String
    @Option var count: Int
    @Option var keys: Int = 20
    @Option(help: "events per transaction") var batch: Int = 100
    @Option(help: "events per second; 0 = as fast as possible") var rate: Int = 0

    func run() async throws {
        let pool = connection.pool
        let start = ContinuousClock.now
        var written = 0
        while written < count {
            let size = min(batch, count - written)
            let first = written
            try await pool.transaction { connection in
                var events: [OutboxEvent] = []
                for n in first..<(first + size) {
                    let key = "item-\(n % keys)"
                    let rows = try await connection.query("""
                        INSERT INTO probe_items (key, version) VALUES (\(key), 1)
                        ON CONFLICT (key) DO UPDATE SET version = probe_items.version + 1
                        RETURNING version
                        """)
                    let version = try rows[0].decode(0, as: Int.self)
                    events.append(try OutboxEvent(
                        topic: topic, aggregateType: "item", aggregateId: key, type: ProbeType.changed,
                        subject: "items/\(key)", payload: ItemChanged(key: key, version: version)))
                }
                try await Outbox.append(events, on: connection)
            }
            written += size
            if rate > 0 {
                let due = start + .milliseconds(written * 1000 / rate)
                if due > .now { try await Task.sleep(until: due) }
            }
        }
        await pool.close()
        print("written \(written)")
    }
}

/// The relay as a service: runs until SIGTERM. `--pause-after-delivery FILE`
/// stops the first round after its delivery reports and before it marks the
/// rows, writes FILE and waits to be killed.
struct RelayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "relay")
    @OptionGroup var connection: Connection
    @Option var pauseAfterDelivery: String?

    func run() async throws {
        let database = PostgresConfiguration(connectionString: connection.database, poolSize: 2)
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(brokers: connection.brokers), logger: probeLogger)
        var configuration = OutboxRelayConfiguration(source: "/shuangjian/probe")
        if let marker = pauseAfterDelivery {
            configuration.afterDelivery = { ids in
                FileManager.default.createFile(atPath: marker, contents: Data(ids.map(\.uuidString).joined(separator: "\n").utf8))
                while true { try? await Task.sleep(for: .seconds(60)) }
            }
        }
        let relay = OutboxRelay(database: database, producer: producer, configuration: configuration, logger: probeLogger)
        try await runServices([ProducerService(producer), relay])
    }
}

/// The idempotent consumer as a service: runs until SIGTERM.
struct ConsumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "consume")
    @OptionGroup var connection: Connection
    @Option var topic: String
    @Option var group: String
    @Flag(help: "accept negative flags (the fix for the rejected records)") var acceptNegative = false
    @Flag(help: "an older version: no handler for flagged events yet") var withoutFlagged = false
    @Option var sessionTimeoutMs: Int = 6000
    @Option(help: "group.instance.id: static membership, for restarts in place") var instanceId: String?

    func run() async throws {
        let pool = PostgresPool(PostgresConfiguration(connectionString: connection.database, poolSize: 4), logger: probeLogger)
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(brokers: connection.brokers), logger: probeLogger)
        var configuration = EventConsumerConfiguration(brokers: connection.brokers, group: group, topics: [topic])
        configuration.kafka.properties["session.timeout.ms"] = String(sessionTimeoutMs)
        configuration.kafka.properties["heartbeat.interval.ms"] = "500"
        if let instanceId { configuration.kafka.properties["group.instance.id"] = instanceId }
        configuration.minBackoff = .milliseconds(20)
        configuration.maxBackoff = .milliseconds(200)
        let consumer = EventConsumer(
            pool: pool, producer: producer, handlers: handlers(acceptNegative: acceptNegative, flagged: !withoutFlagged),
            configuration: configuration, logger: probeLogger)
        try await runServices([ProducerService(producer), consumer])
        await pool.close()
    }

    func handlers(acceptNegative: Bool, flagged: Bool) -> EventHandlers {
        var handlers = EventHandlers()
        handlers.on(ProbeType.changed, ItemChanged.self) { event, connection in
            let change = event.payload
            try await connection.execute("""
                INSERT INTO probe_applied (event_id, key, version) VALUES (\(event.event.id), \(change.key), \(change.version))
                """)
            try await connection.execute("INSERT INTO probe_state (key, version) VALUES (\(change.key), 0) ON CONFLICT DO NOTHING")
            let moved = try await connection.execute("""
                UPDATE probe_state SET version = \(change.version) WHERE key = \(change.key) AND version = \(change.version - 1)
                """)
            if moved == 0 {
                let current = try await connection.query("SELECT version FROM probe_state WHERE key = \(change.key)")
                try await connection.execute("""
                    INSERT INTO probe_violations (key, expected, got)
                    VALUES (\(change.key), \(try current[0].decode(0, as: Int.self) + 1), \(change.version))
                    """)
            }
        }
        guard flagged else { return handlers }
        handlers.on(ProbeType.flagged, ItemFlagged.self) { event, connection in
            if event.payload.flag < 0 && !acceptNegative { throw EventRejected("flag must not be negative") }
            try await connection.execute("""
                INSERT INTO probe_flags (event_id, key, flag) VALUES (\(event.event.id), \(event.payload.key), \(event.payload.flag))
                """)
        }
        return handlers
    }
}

func runServices(_ services: [any Service]) async throws {
    var configuration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm], logger: probeLogger)
    configuration.maximumGracefulShutdownDuration = .seconds(20)
    try await ServiceGroup(configuration: configuration).run()
}
