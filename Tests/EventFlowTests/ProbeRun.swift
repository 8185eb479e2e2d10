import Foundation
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

    func startRelay(pauseAfterDelivery marker: String? = nil) throws -> Process {
        try bag.add(environment.launchProbe(["relay"] + connection + (marker.map { ["--pause-after-delivery", $0] } ?? [])))
    }

    func startConsumer(acceptNegative: Bool = false) throws -> Process {
        try bag.add(environment.launchProbe(
            ["consume"] + connection + ["--topic", topic, "--group", group] + (acceptNegative ? ["--accept-negative"] : [])))
    }

    func applied() async throws -> Int { try await pool.count("SELECT count(*)::int FROM probe_applied") }
    func distinctApplied() async throws -> Int { try await pool.count("SELECT count(DISTINCT event_id)::int FROM probe_applied") }
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
