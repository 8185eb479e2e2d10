import ArgumentParser
import Domain
import EventFlow
import Foundation
import Kafka
import Logging
import Postgres
import Synchronization
// Ports, databases, process launching and the dev broker, shared with the tests.
import TestSupport

/// County signals through a real inspection service (release binary, a new
/// database, a private dev broker; `scripts/bench-inspection.sh`):
///
/// (a) throughput: `--signals` hotline complaints (1 % sent twice, as a
/// county system retrying would) waiting on `county.events` when the service
/// starts (a backlog, so the producer's own speed is not what is measured);
/// signals/s from the first one to the last one validated, deduplicated,
/// scored and committed — the span of their `received_at`, stamped by the
/// intake inside the transaction that commits them — and, as a cross-check,
/// from the service being ready until the last row is visible;
/// (b) latency: `--rate` signals/s open loop for `--seconds`, each
/// `--probe-every`-th one the second complaint about a subject whose first
/// came before the phase — the signal that crosses the blue threshold — timed
/// from its produce call until its `warning.raised.v1` is read back from
/// `shuangjian.inspection.warnings` (committed, then published by the relay:
/// an upper bound of "committed"); p50/p99.
@main
struct InspectionBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspection-bench", abstract: "County signals → scored and committed: signals/s; crossing signal → warning latency.")

    /// The backlog waits on the dev broker, which keeps about 5 MB per
    /// partition (docs/operations.md, "What the local broker is not"): 40,000
    /// signals of ~600 bytes fill about 4 MB of each of its 6 partitions.
    /// 200,000 were once the default; the broker dropped most of them unread.
    @Option(help: "Signals in the throughput phase (40,000: as many as the dev broker keeps unread).") var signals = 40_000
    @Option(help: "Signals per subject in the throughput phase (2 or more raise warnings).") var perSubject = 1
    @Option(help: "Signals per second in the latency phase.") var rate = 1_000
    @Option(help: "Seconds of the latency phase.") var seconds = 20
    @Option(help: "Every n-th signal of the latency phase crosses a threshold.") var probeEvery = 20
    @Option(help: "Seconds to wait for the last signal or warning of a phase.") var timeout = 300
    @Option(help: "SJ_LOG_LEVEL of the service.") var logLevel = "warning"
    @Flag(help: "Keep the databases and logs.") var keep = false

    func run() async throws {
        var logger = Logger(label: "inspection-bench")
        logger.logLevel = .warning
        let world = try await ServiceWorld.start()
        do {
            let producer = try KafkaProducer(
                configuration: KafkaProducerConfiguration(brokers: world.brokers, clientId: "inspection-bench"), logger: logger)
            let sender = Sender(producer: producer)
            print("inspection bench: logs \(world.logDirectory.path); load average before: \(Self.loadAverage())")

            // (a) throughput: the backlog first, then the service.
            var records = (0..<signals).map { sender.complaint(subject: "school-\($0 / max(1, perSubject))", id: "t-\($0)") }
            records += records.prefix(signals / 100)  // retried: the same ce_source and ce_id
            let producing = ContinuousClock.now
            try await sender.burst(records)
            print(String(format: "backlog: %d records on %@ in %.2f s", records.count, Topic.countyEvents, (ContinuousClock.now - producing).seconds))
            try await world.launch("inspection", logLevel: logLevel)
            let pool = world.pool("inspection")
            let ready = ContinuousClock.now
            try await waitForSignals(pool, signals, timeout: .seconds(timeout))
            let wall = (ContinuousClock.now - ready).seconds
            let span = try await pool.query("""
                SELECT extract(epoch FROM max(received_at) - min(received_at))::float8, count(DISTINCT received_at)::int FROM signals
                """)[0].decode((Double, Int).self)
            let perSecond = Double(signals) / max(span.0, 0.001)
            let warnings = try await pool.query("SELECT count(*)::int FROM warnings")[0].decode(0, as: Int.self)
            print(String(
                format: "throughput: %d signals (+%d duplicates, %d warnings raised) applied in %.2f s (first to last commit, %d batches) = %.0f signals/s (target 10,000/s: ×%.2f); ready → last row visible %.2f s = %.0f signals/s",
                signals, signals / 100, warnings, span.0, span.1, perSecond, perSecond / 10_000, wall, Double(signals) / wall))
            let stored = try await count(pool)
            print("deduplicated: \(stored) stored for \(signals + signals / 100) records; load average after: \(Self.loadAverage())")

            // Warm for the latency phase: the consumer has joined and applied
            // something, and one warning was raised and published (the relay's
            // first record on the warnings topic waits for that topic's metadata).
            try await sender.burst((0..<200).map { sender.complaint(subject: "warmup-\($0)", id: "warmup-\($0)") }
                + [sender.complaint(subject: "warmup-0", id: "warmup-again-0")])
            try await waitForSignals(pool, stored + 201, timeout: .seconds(timeout))

            // (b) latency: the probes' first complaints, then the open-loop phase.
            let probes = rate * seconds / probeEvery
            try await sender.burst((0..<probes).map { sender.complaint(subject: "probe-\($0)", id: "probe-first-\($0)") })
            try await waitForSignals(pool, stored + 201 + probes, timeout: .seconds(timeout))
            let watcher = try Watcher(brokers: world.brokers, logger: logger)
            let watching = Task { try await watcher.run() }
            // Ready once it has read the warm-up's warning (it reads the topic
            // from its start, so it misses nothing even if its assignment is late).
            _ = try await watcher.waitFor(["学校:warmup-0"], timeout: .seconds(timeout))
            let sent = try await sender.openLoop(rate: rate, seconds: seconds, probeEvery: probeEvery)
            let arrivals = try await watcher.waitFor(Array(sent.keys), timeout: .seconds(timeout))
            watching.cancel()
            var latencies = sent.compactMap { subject, at in arrivals[subject].map { ($0 - at).seconds * 1000 } }.sorted()
            func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int((p * Double(latencies.count)).rounded(.up)) - 1)] }
            if latencies.isEmpty { latencies = [0] }
            print(String(
                format: "latency at %d signals/s for %d s: %d threshold-crossing signals → warning.raised.v1 read back: p50 %.1f ms, p99 %.1f ms, max %.1f ms (target p99 < 200 ms: %@)",
                rate, seconds, sent.count, percentile(0.5), percentile(0.99), latencies.last ?? 0, percentile(0.99) < 200 ? "met" : "missed"))
            // Where the slowest fell in the phase: stalls at one moment (a
            // rebalance, a checkpoint) look different from a slow tail throughout.
            let phaseStart = sent.values.min() ?? .now
            let slowest = sent.compactMap { subject, at in arrivals[subject].map { (($0 - at).seconds * 1000, (at - phaseStart).seconds) } }
                .sorted { $0.0 > $1.0 }.prefix(5)
            print("slowest: " + slowest.map { String(format: "%.0f ms at %.1f s", $0.0, $0.1) }.joined(separator: ", "))
            print("load average after: \(Self.loadAverage()); nproc \(ProcessInfo.processInfo.activeProcessorCount)")
            await producer.close()
            await pool.close()
        } catch {
            print("inspection bench failed: \(error); logs \(world.logDirectory.path)")
            if keep { world.stop() } else { await world.stopAndDrop() }
            throw ExitCode.failure
        }
        if keep { world.stop() } else { await world.stopAndDrop() }
    }

    func count(_ pool: PostgresPool) async throws -> Int {
        try await pool.query("SELECT count(*)::int FROM signals")[0].decode(0, as: Int.self)
    }

    /// Polls every 100 ms: a count of the table is a scan, and the service shares the machine.
    func waitForSignals(_ pool: PostgresPool, _ expected: Int, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await count(pool) < expected {
            guard ContinuousClock.now < deadline else { throw BenchError("fewer than \(expected) signals after \(timeout)") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// The 1, 5 and 15 minute load averages (the machine is shared: figures go with them).
    static func loadAverage() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
    }
}

/// Produces county signals as the 12345 hotline would (binary mode).
final class Sender: Sendable {
    let producer: KafkaProducer
    let occurredAt = RFC3339.format(Date())

    init(producer: KafkaProducer) { self.producer = producer }

    func complaint(subject: String, id: String) -> KafkaRecord {
        let data: [String: Any] = [
            "reference": id, "occurredAt": occurredAt, "severity": "medium",
            "summary": "家长反映该校存在违规补课问题", "concerns": ["school": ["name": subject]],
        ]
        let event = CloudEvent(
            id: id, source: "/fangxian/12345", type: EventType.hotlineComplaintReceived, time: Date(),
            data: Array((try? JSONSerialization.data(withJSONObject: data)) ?? Data()))
        return event.kafkaRecord(topic: Topic.countyEvents, key: subject)
    }

    func burst(_ records: [KafkaRecord]) async throws {
        for chunk in stride(from: 0, to: records.count, by: 10_000) {
            for result in await producer.send(Array(records[chunk..<min(chunk + 10_000, records.count)])) { _ = try result.get() }
        }
    }

    /// `rate` signals/s for `seconds`, on schedule whatever the answers; every
    /// `probeEvery`-th is a probe's second complaint. The probes' send times by subject.
    func openLoop(rate: Int, seconds: Int, probeEvery: Int) async throws -> [String: ContinuousClock.Instant] {
        let count = rate * seconds
        let interval = Duration.seconds(1) / rate
        let start = ContinuousClock.now
        return try await withThrowingTaskGroup(of: Void.self) { group in
            var probes: [String: ContinuousClock.Instant] = [:]
            var probe = 0
            for i in 0..<count {
                try await Task.sleep(until: start + interval * i, clock: .continuous)
                let record: KafkaRecord
                if i % probeEvery == probeEvery - 1 {
                    let subject = "probe-\(probe)"
                    record = complaint(subject: subject, id: "probe-second-\(probe)")
                    probes["学校:" + subject] = .now
                    probe += 1
                } else {
                    record = complaint(subject: "load-\(i)", id: "load-\(i)")
                }
                group.addTask { _ = try await self.producer.send(record) }
            }
            try await group.waitForAll()
            return probes
        }
    }
}

/// Reads `warning.raised.v1` from the warnings topic: when each subject's arrived.
final class Watcher: Sendable {
    let consumer: KafkaConsumer
    let arrivals = Mutex<[String: ContinuousClock.Instant]>([:])

    init(brokers: String, logger: Logger) throws {
        var configuration = KafkaConsumerConfiguration(brokers: brokers, groupId: "inspection-bench-\(UUID())", topics: [Topic.inspectionWarnings])
        configuration.autoOffsetReset = "earliest"
        configuration.fetchWaitMaxMs = 5
        consumer = try KafkaConsumer(configuration: configuration, logger: logger)
    }

    func run() async throws {
        while !Task.isCancelled {
            guard let batch = try await consumer.nextBatch() else { return }
            let now = ContinuousClock.now
            for message in batch {
                guard message.header("ce_type")?.value.map({ String(decoding: $0, as: UTF8.self) }) == EventType.warningRaised,
                      let value = message.value,
                      let json = try? JSONSerialization.jsonObject(with: Data(value)) as? [String: Any],
                      let subject = ((json["warning"] as? [String: Any])?["subject"] as? [String: Any])?["name"] as? String
                else { continue }
                arrivals.withLock { if $0["学校:" + subject] == nil { $0["学校:" + subject] = now } }
            }
        }
    }

    func waitFor(_ subjects: [String], timeout: Duration) async throws -> [String: ContinuousClock.Instant] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let found = arrivals.withLock { all in all.filter { subjects.contains($0.key) } }
            if found.count == subjects.count { return found }
            guard ContinuousClock.now < deadline else {
                throw BenchError("\(subjects.count - found.count) of \(subjects.count) warnings not read back after \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
