import EventFlow
import Foundation
import Kafka
import TestSupport
import Postgres
import Synchronization

/// The processes a test started, so a test that fails half-way leaves none running.
final class ProcessBag: Sendable {
    private let processes = Mutex<[Process]>([])

    @discardableResult
    func add(_ process: Process) -> Process {
        processes.withLock { $0.append(process) }
        return process
    }

    func terminateAll() {
        for process in processes.withLock({ $0 }) where process.isRunning { process.terminate() }
    }
}

/// One test's probe world: its database (outbox, inbox and the probe's
/// tables), its topic, and the probe processes started on them.
struct ProbeRun {
    let environment: FlowEnvironment
    let database: String
    let topic: String
    let group: String
    let pool: PostgresPool
    let bag = ProcessBag()

    static func make(partitions: Int = 4) async throws -> ProbeRun {
        let environment = try FlowEnvironment()
        let database = try await environment.makeDatabase()
        let topic = try await environment.makeTopic(partitions: partitions)
        let run = ProbeRun(
            environment: environment, database: database, topic: topic,
            group: "probe-" + UUID().uuidString.prefix(8).lowercased(), pool: environment.pool(database))
        try await environment.runProbe(["setup"] + run.connection)
        return run
    }

    var connection: [String] { ["--database", database, "--brokers", environment.brokers] }

    func write(count: Int, keys: Int = 20, batch: Int = 100, rate: Int = 0) async throws {
        try await environment.runProbe(["write"] + connection + [
            "--topic", topic, "--count", "\(count)", "--keys", "\(keys)", "--batch", "\(batch)", "--rate", "\(rate)",
        ])
    }

    func startWriter(count: Int, keys: Int = 20, batch: Int = 20, rate: Int) throws -> Process {
        try bag.add(environment.launchProbe(["write"] + connection + [
            "--topic", topic, "--count", "\(count)", "--keys", "\(keys)", "--batch", "\(batch)", "--rate", "\(rate)",
        ]))
    }

    /// `log`: where its output goes (appended), with info-level logs.
    func startRelay(pauseAfterDelivery marker: String? = nil, log: URL? = nil) throws -> Process {
        try bag.add(environment.launchProbe(
            ["relay"] + connection + (marker.map { ["--pause-after-delivery", $0] } ?? []),
            environment: log == nil ? [:] : ["PROBE_LOG_LEVEL": "info"], log: log))
    }

    /// `log`: where its output goes (appended), with notice-level logs.
    func startConsumer(
        acceptNegative: Bool = false, withoutFlagged: Bool = false, extra: [String] = [], log: URL? = nil
    ) throws -> Process {
        try bag.add(environment.launchProbe(
            ["consume"] + connection + ["--topic", topic, "--group", group] + (acceptNegative ? ["--accept-negative"] : [])
                + (withoutFlagged ? ["--without-flagged"] : []) + extra,
            environment: log == nil ? [:] : ["PROBE_LOG_LEVEL": "notice"], log: log))
    }

    /// Applied events, markers (`markEveryPartition`) not counted.
    func applied() async throws -> Int {
        try await pool.count("SELECT count(*)::int FROM probe_applied WHERE key NOT LIKE 'marker-%'")
    }
    func distinctApplied() async throws -> Int {
        try await pool.count("SELECT count(DISTINCT event_id)::int FROM probe_applied WHERE key NOT LIKE 'marker-%'")
    }

    /// A positive marker instead of waiting "long enough" for nothing more to
    /// happen: sends one event of a new key to each partition, after
    /// everything else, and waits until the consumer applied them all — so
    /// every record before them on every partition has been handled.
    func markEveryPartition(_ partitions: Int, seconds: Int = 90) async throws {
        let ids = try await ProbeMarkers.send(topic: topic, partitions: partitions, brokers: environment.brokers, logger: flowLogger)
        try await waitUntil("a marker applied on each of \(partitions) partitions", timeout: .seconds(seconds)) {
            try await pool.count("SELECT count(*)::int FROM probe_applied WHERE event_id = ANY(\(ids))") == partitions
        }
    }
    func violations() async throws -> Int { try await pool.count("SELECT count(*)::int FROM probe_violations") }
    func unpublished() async throws -> Int { try await pool.count("SELECT count(*)::int FROM outbox WHERE published_at IS NULL") }

    /// Waits until `count` events were applied and nothing more arrives for a moment.
    func waitUntilApplied(_ count: Int, seconds: Int = 90) async throws -> Bool {
        try await eventually(timeout: .seconds(seconds)) { try await applied() >= count }
    }

    func finish() async {
        await pool.close()
    }
}
