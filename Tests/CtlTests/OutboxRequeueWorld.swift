import EventFlow
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Kafka
import Postgres
import Synchronization
import TestSupport

/// The processes of one requeue test: EventFlowProbe as the service (its
/// relay on the service's database) and as consumers (each on a database of
/// its own: inbox and effects), and private dev brokers that, like `make
/// run`'s, forget everything when they stop.
final class OutboxRequeueWorld: Sendable {
    let bin: URL
    let logs: URL
    let topic = "shuangjian.test.requeue-\(UUID().uuidString.prefix(8).lowercased())"
    private let processes = Mutex<[Process]>([])

    init() throws {
        bin = try CtlEnv.binDirectory()
        logs = FileManager.default.temporaryDirectory.appendingPathComponent("ctl-requeue-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
    }

    /// A database with EventFlow's tables and the probe's.
    func probeDatabase() async throws -> String {
        let url = try await CtlDatabases.make()
        try await runProbe(["setup", "--database", url])
        return url
    }

    /// A new broker with the test's topic; returns its bootstrap address.
    func startBroker(partitions: Int) async throws -> (process: Process, brokers: String) {
        let broker = try await startDevBrokerWithControl(bin: bin, logDirectory: logs)
        track(broker.process)
        var request = URLRequest(url: URL(string: broker.control + "/topics")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: ["name": topic, "partitions": partitions])
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let status = (response as? HTTPURLResponse)?.statusCode, (200..<300).contains(status) else {
            throw CtlEnv.Missing(description: "create topic \(topic): \(String(decoding: data, as: UTF8.self))")
        }
        return (broker.process, broker.brokers)
    }

    /// `count` state changes with their outbox rows on `database` (keys item-0…item-4).
    func write(_ count: Int, database: String) async throws {
        try await runProbe(["write", "--database", database, "--topic", topic, "--count", "\(count)", "--keys", "5", "--batch", "5"])
    }

    func startRelay(database: String, brokers: String) throws -> Process {
        try launchProbe(["relay", "--database", database, "--brokers", brokers], log: "relay")
    }

    func startConsumer(database: String, group: String, brokers: String) throws -> Process {
        try launchProbe(["consume", "--database", database, "--brokers", brokers, "--topic", topic, "--group", group], log: group)
    }

    /// SIGTERM (the probes shut down gracefully), then waits for the exit.
    func stop(_ process: Process) async {
        if process.isRunning { process.terminate() }
        _ = await waitForExit(process, timeout: .seconds(30))
    }

    /// After the test, pass or fail: nothing it started keeps running.
    func stopAll() {
        for process in processes.withLock({ $0 }) where process.isRunning { process.terminate() }
    }

    /// One marker per partition after everything else (`ProbeMarkers`): a positive end.
    func sendMarkers(partitions: Int, brokers: String) async throws -> [String] {
        try await ProbeMarkers.send(topic: topic, partitions: partitions, brokers: brokers, logger: CtlEnv.logger)
    }

    private func runProbe(_ arguments: [String]) async throws {
        let process = try launchProbe(arguments, log: arguments[0])
        guard await waitForExit(process, timeout: .seconds(120)), process.terminationStatus == 0 else {
            process.terminate()
            throw CtlEnv.Missing(description: "EventFlowProbe \(arguments[0]) failed; see \(logs.path)")
        }
    }

    private func launchProbe(_ arguments: [String], log: String) throws -> Process {
        track(try launchProcess(
            bin.appendingPathComponent("EventFlowProbe"), arguments: arguments,
            log: logs.appendingPathComponent("\(log).log"), append: true))
    }

    @discardableResult
    private func track(_ process: Process) -> Process {
        processes.withLock { $0.append(process) }
        return process
    }
}
