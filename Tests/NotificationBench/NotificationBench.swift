import ArgumentParser
import Domain
import EventFlow
import Foundation
import Hummingbird
import Kafka
import Logging
import Postgres
import ServiceKit
import Synchronization
// Ports, databases, process launching and the dev broker, shared with the tests.
import TestSupport

/// Alerts from event to sink: starts a private dev broker, a registry and a
/// notification service (release binaries, each on a new database), gives
/// one liaison per unit a webhook to an HTTP sink in this process, then
/// publishes `letter.issued` events onto `shuangjian.scheduling.letters`
/// (one delivery each) and times each from the produce call to the sink
/// receiving its webhook request.
///
/// (a) a fixed rate (`--rate` events/s for `--seconds`): achieved alerts/s,
/// p50/p99 event-to-delivery latency; (b) `--burst` events at once: alerts/s
/// until the last reached the sink. `scripts/bench-notification.sh` runs it.
@main
struct NotificationBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notification-bench", abstract: "Event → notification → webhook sink: alerts/s and latency.")

    @Option(help: "Folder of the release binaries (sjctl, registry, notification).")
    var bin = ProcessInfo.processInfo.environment["SJ_BIN_DIR"] ?? ".build/release"
    @Option(help: "libpq URI of a database on the server to use; the bench creates (and drops) its own databases beside it.")
    var url = ProcessInfo.processInfo.environment["SJ_BENCH_DATABASE_URL"] ?? "postgresql://shuangjian@127.0.0.1:55432/shuangjian_test"
    @Option(help: "Units (each one liaison with a webhook), at most 26.") var units = 20
    @Option(help: "Events per second in the fixed-rate phase.") var rate = 50
    @Option(help: "Seconds of the fixed-rate phase.") var seconds = 20
    @Option(help: "Events published at once in the maximum phase.") var burst = 5_000
    @Option(help: "Events sent first and not counted.") var warmup = 50
    @Option(help: "Sink reply delay in milliseconds (a slow receiver).") var sinkDelayMs = 0
    @Option(help: "Seconds to wait for the last alert of a phase.") var timeout = 300
    @Option(help: "SJ_NOTIFICATION_MAX_IN_FLIGHT for the service (its default when unset).") var maxInFlight: Int?
    @Option(help: "SJ_LOG_LEVEL of the services.") var logLevel = "warning"
    @Flag(help: "Keep the databases and logs.") var keep = false
    @Option(help: "Only measure the sink alone: this many requests over --max-in-flight (128) connections, then stop.")
    var sinkOnly: Int?

    static let unitIds = [
        "organization-department", "publicity-department", "political-legal-committee", "staffing-office",
        "education-bureau", "petition-bureau", "development-reform-bureau", "science-economy-bureau",
        "public-security-bureau", "civil-affairs-bureau", "justice-bureau", "finance-bureau",
        "human-resources-bureau", "housing-construction-bureau", "culture-tourism-bureau", "health-bureau",
        "emergency-management-bureau", "market-regulation-bureau", "civil-air-defense-office", "financial-affairs-office",
        "administrative-approval-bureau", "pboc-fangxian-branch", "youth-league-committee", "womens-federation",
        "science-association", "fire-rescue-brigade",
    ]

    func run() async throws {
        guard (1...Self.unitIds.count).contains(units) else { throw BenchError("--units must be 1…\(Self.unitIds.count)") }
        var logger = Logger(label: "notification-bench")
        logger.logLevel = .warning
        let env = ProcessInfo.processInfo.environment
        guard let jwt = env["SJ_JWT_SECRET"], env["SJ_NOTIFICATION_SECRET_KEY"] != nil else {
            throw BenchError("set SJ_JWT_SECRET and SJ_NOTIFICATION_SECRET_KEY (scripts/bench-notification.sh does)")
        }
        let signer = TokenSigner(secret: try JWTSecret(jwt))
        let office = try signer.sign(Principal(subject: "bench-office", role: .office), ttl: .seconds(3600))

        if let sinkOnly {
            let sink = try await Sink.start(delay: sinkDelayMs > 0 ? .milliseconds(sinkDelayMs) : nil)
            let figures: String
            do {
                figures = try await SinkProbe.run(sink: sink, count: sinkOnly, connections: maxInFlight ?? 128)
            } catch {
                await sink.stop()
                throw error
            }
            await sink.stop()
            say(figures)
            return
        }
        let world = try await Processes.start(bin: bin, baseURL: url, logger: logger)
        let sink = try await Sink.start(delay: sinkDelayMs > 0 ? .milliseconds(sinkDelayMs) : nil)
        do {
            try await world.launch("registry", logLevel: logLevel)
            var extra: [String: String] = [:]
            if let maxInFlight { extra["SJ_NOTIFICATION_MAX_IN_FLIGHT"] = "\(maxInFlight)" }
            try await world.launch("notification", logLevel: logLevel, environment: extra)
            let chosen = Array(Self.unitIds.prefix(units))
            try await setUp(world: world, units: chosen, sink: sink, token: office, logger: logger)
            say("notification bench: \(units) liaisons with webhooks to \(sink.base); sink delay \(sinkDelayMs) ms; logs \(world.logDirectory.path)")

            let producer = try KafkaProducer(
                configuration: KafkaProducerConfiguration(brokers: world.brokers, clientId: "notification-bench"), logger: logger)
            let publisher = Publisher(producer: producer, units: chosen)

            if warmup > 0 {
                let ids = try await publisher.burst(warmup)
                _ = try await sink.waitFor(ids.map(\.0), timeout: .seconds(timeout))
            }

            let notificationPool = PostgresPool(
                PostgresConfiguration(connectionString: world.databases["notification"]!, poolSize: 1), logger: logger)
            let (notificationPid, registryPid) = (world.processes["notification"]!.processIdentifier, world.processes["registry"]!.processIdentifier)
            let brokerPid = world.broker.processIdentifier
            let cpu = ProcessCPU(groups: [
                ("notification", { [notificationPid] }),
                ("postgres", { try await ProcessCPU.postgresPids(notificationPool) }),
                ("broker", { [brokerPid] }),
                ("registry", { [registryPid] }),
                ("bench+sink", { [getpid()] }),
            ])
            /// Runs one phase; prints its figures, where its CPU went and its stages.
            func phase(
                _ name: String, _ publish: () async throws -> [(String, ContinuousClock.Instant)]
            ) async throws {
                let cpuBefore = try await cpu.sample()
                let (startedAt, clockBefore) = (Date(), ContinuousClock.now)
                let sent = try await publish()
                let arrivals = try await sink.waitFor(sent.map(\.0), timeout: .seconds(timeout))
                let wall = (ContinuousClock.now - clockBefore).seconds
                report(name, sent: sent, arrivals: arrivals)
                say("  " + cpu.describe(from: cpuBefore, to: try await cpu.sample(), over: wall))
                say("  " + (try await StageTimes.describe(events: sent.map(\.0), publishedAt: startedAt, notification: notificationPool)))
            }

            // (a) fixed rate
            try await phase("fixed rate \(rate)/s for \(seconds) s") { try await publisher.fixedRate(rate: rate, seconds: seconds) }

            // (b) maximum
            try await phase("burst of \(burst) at once") { try await publisher.burst(burst) }
            await notificationPool.close()

            say("sink: \(sink.requestCount) requests, \(sink.repeatCount) repeats (same idempotency key twice)")
            await producer.close()
        } catch {
            say("notification bench failed: \(error); logs \(world.logDirectory.path)")
            await sink.stop()
            await world.stop(dropDatabases: !keep, logger: logger)
            throw ExitCode.failure
        }
        await sink.stop()
        await world.stop(dropDatabases: !keep, logger: logger)
    }

    /// One liaison per unit, known to the notification directory, each with a
    /// webhook to the sink (set after the liaison change, so only letters are delivered).
    func setUp(world: Processes, units: [String], sink: Sink, token: String, logger: Logger) async throws {
        var people: [String] = []
        for (index, unit) in units.enumerated() {
            let created = try await world.request("registry", "POST", "/v1/people", token: token, json: [
                "name": "联络员\(index + 1)", "unitId": unit, "channels": ["mobile": "1390000\(String(format: "%04d", index))"],
            ])
            guard created.status == 201, let id = created.json["id"] as? String else {
                throw BenchError("creating a person: \(created.status) \(created.text)")
            }
            let assigned = try await world.request("registry", "PUT", "/v1/units/\(unit)/liaison", token: token, json: ["personId": id])
            guard assigned.status == 200 else { throw BenchError("assigning a liaison: \(assigned.status) \(assigned.text)") }
            people.append(id.lowercased())
        }
        let pool = PostgresPool(PostgresConfiguration(connectionString: world.databases["notification"]!, poolSize: 1), logger: logger)
        defer { Task { await pool.close() } }
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            let known = try await pool.query("""
                SELECT count(*)::int FROM directory_units u JOIN directory_people p ON p.id = u.liaison_id
                WHERE u.id = ANY(\(units))
                """)[0].decode(0, as: Int.self)
            if known == units.count { break }
            guard ContinuousClock.now < deadline else { throw BenchError("the directory knows \(known) of \(units.count) liaisons after 60 s") }
            try await Task.sleep(for: .milliseconds(100))
        }
        for id in people {
            let configured = try await world.request("notification", "PUT", "/v1/channels/person/\(id)/webhook", token: token,
                                                     json: ["endpoint": sink.base + "/hook", "secret": "bench-webhook-secret-0123"])
            guard configured.status == 200 else { throw BenchError("configuring a webhook: \(configured.status) \(configured.text)") }
        }
    }

    func report(_ phase: String, sent: [(String, ContinuousClock.Instant)], arrivals: [String: ContinuousClock.Instant]) {
        guard let first = sent.map(\.1).min(), let last = arrivals.values.max() else {
            say("\(phase): nothing delivered")
            return
        }
        var latencies = sent.compactMap { id, at in arrivals[id].map { ($0 - at).seconds * 1000 } }
        latencies.sort()
        func percentile(_ p: Double) -> Double {
            latencies[min(latencies.count - 1, Int((p * Double(latencies.count)).rounded(.up)) - 1)]
        }
        let span = (last - first).seconds
        let perSecond = Double(arrivals.count) / span
        say(String(
            format: "%@: %d alerts in %.2f s = %.1f alerts/s; event→sink latency p50 %.1f ms, p99 %.1f ms, max %.1f ms",
            phase, arrivals.count, span, perSecond, percentile(0.50), percentile(0.99), latencies.last ?? 0))
    }
}

// MARK: - Publishing letters

/// Publishes `letter.issued` events, round-robin over the units, returning
/// each event id with the instant just before it was handed to the producer.
final class Publisher: Sendable {
    let producer: KafkaProducer
    let units: [String]
    let counter = Atomic<Int>(0)

    init(producer: KafkaProducer, units: [String]) {
        self.producer = producer
        self.units = units
    }

    func record() -> (String, KafkaRecord) {
        let n = counter.add(1, ordering: .relaxed).newValue
        let unit = units[n % units.count]
        let letter = UUID().uuidString.lowercased()
        let payload: [String: Any] = ["letter": [
            "id": letter, "kind": n.isMultiple(of: 2) ? "supervision" : "coordination",
            "number": "房双减督〔2026〕\(n)号", "unitId": unit,
            "subject": "关于校外培训治理事项的督办函（第\(n)号）", "replyDue": "2026-12-31",
        ]]
        let event = CloudEvent(
            id: UUID().uuidString.lowercased(), source: "/shuangjian/bench", type: "cn.gov.fangxian.shuangjian.scheduling.letter.issued.v1",
            subject: letter, time: Date(), data: Array((try? JSONSerialization.data(withJSONObject: payload)) ?? Data()))
        return (event.id, event.kafkaRecord(topic: Topic.schedulingLetters, key: letter))
    }

    func fixedRate(rate: Int, seconds: Int) async throws -> [(String, ContinuousClock.Instant)] {
        let count = rate * seconds
        let interval = Duration.seconds(1) / rate
        let start = ContinuousClock.now
        return try await withThrowingTaskGroup(of: Void.self) { group in
            var sent: [(String, ContinuousClock.Instant)] = []
            sent.reserveCapacity(count)
            for i in 0..<count {
                try await Task.sleep(until: start + interval * i, clock: .continuous)
                let (id, record) = record()
                sent.append((id, .now))
                group.addTask { _ = try await self.producer.send(record) }
            }
            try await group.waitForAll()
            return sent
        }
    }

    func burst(_ count: Int) async throws -> [(String, ContinuousClock.Instant)] {
        let records = (0..<count).map { _ in record() }
        let at = ContinuousClock.now
        for result in await producer.send(records.map(\.1)) { _ = try result.get() }
        return records.map { ($0.0, at) }
    }
}

// MARK: - The sink

/// An HTTP server on an ephemeral port in this process that answers every
/// POST 200 and records when each event's first webhook request arrived.
final class Sink: Sendable {
    struct State {
        var arrivals: [String: ContinuousClock.Instant] = [:]
        var keys: Set<String> = []
        var requests = 0
        var repeats = 0
        /// The events `waitFor` waits for, and how many of them have not arrived:
        /// counted as they arrive, so waiting costs nothing per poll (the sink
        /// shares the machine with what it measures).
        var awaited: Set<String> = []
        var missing = 0
    }
    let state = Mutex(State())
    let base: String
    private let task: Mutex<Task<Void, any Error>?> = Mutex(nil)

    private init(base: String) { self.base = base }

    var requestCount: Int { state.withLock { $0.requests } }
    var repeatCount: Int { state.withLock { $0.repeats } }

    static func start(delay: Duration?) async throws -> Sink {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let box = Mutex<Sink?>(nil)
        let router = Router()
        router.post("**") { request, _ -> Response in
            let buffer = try await request.body.collect(upTo: 1 << 20)
            let at = ContinuousClock.now
            let json = (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) as? [String: Any] ?? [:]
            let key = request.headers.first { $0.name.canonicalName == "idempotency-key" }?.value ?? ""
            if let sink = box.withLock({ $0 }), let event = json["eventId"] as? String {
                sink.state.withLock { state in
                    state.requests += 1
                    if !state.keys.insert(key).inserted { state.repeats += 1 }
                    if state.arrivals[event] == nil {
                        state.arrivals[event] = at
                        if state.awaited.contains(event) { state.missing -= 1 }
                    }
                }
            }
            if let delay { try? await Task.sleep(for: delay) }
            return Response(status: .ok)
        }
        var logger = Logger(label: "bench-sink")
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw BenchError("the sink did not start") }
        let sink = Sink(base: "http://127.0.0.1:\(port)")
        box.withLock { $0 = sink }
        sink.task.withLock { $0 = task }
        return sink
    }

    /// Waits until every one of `ids` has arrived; their arrival instants.
    func waitFor(_ ids: [String], timeout: Duration) async throws -> [String: ContinuousClock.Instant] {
        let deadline = ContinuousClock.now + timeout
        state.withLock { state in
            state.awaited = Set(ids)
            state.missing = state.awaited.filter { state.arrivals[$0] == nil }.count
        }
        while true {
            let missing = state.withLock { $0.missing }
            if missing == 0 { break }
            guard ContinuousClock.now < deadline else {
                throw BenchError("\(missing) of \(ids.count) alerts had not reached the sink after \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return state.withLock { state in
            state.awaited = []
            var found: [String: ContinuousClock.Instant] = [:]
            for id in ids { found[id] = state.arrivals[id] }
            return found
        }
    }

    func stop() async {
        let task = self.task.withLock { $0 }
        task?.cancel()
        _ = await task?.result
    }
}

// MARK: - The processes

/// A private dev broker, and the services started on new databases (as the
/// NotificationTests' ServiceWorld does).
final class Processes: @unchecked Sendable {
    let bin: URL
    let baseURL: String
    let broker: Process
    let brokers: String
    let logDirectory: URL
    var processes: [String: Process] = [:]
    var databases: [String: String] = [:]
    var ports: [String: Int] = [:]
    let logger: Logger

    private init(bin: URL, baseURL: String, broker: Process, brokers: String, logDirectory: URL, logger: Logger) {
        self.bin = bin
        self.baseURL = baseURL
        self.broker = broker
        self.brokers = brokers
        self.logDirectory = logDirectory
        self.logger = logger
    }

    static func start(bin: String, baseURL: String, logger: Logger) async throws -> Processes {
        let binURL = URL(fileURLWithPath: bin)
        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("notification-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let (broker, brokers) = try await startDevBroker(bin: binURL, logDirectory: logs)
        return Processes(bin: binURL, baseURL: baseURL, broker: broker, brokers: brokers, logDirectory: logs, logger: logger)
    }

    func launch(_ service: String, logLevel: String, environment extra: [String: String] = [:]) async throws {
        databases[service] = try await makeDatabase(from: baseURL, prefix: "bench_\(service)_", length: 10, logger: logger).url
        let port = try freePort()
        ports[service] = port
        var environment = ProcessInfo.processInfo.environment
        environment["SJ_DATABASE_URL"] = databases[service]
        environment["SJ_HTTP_PORT"] = "\(port)"
        environment["SJ_KAFKA_BROKERS"] = brokers
        environment["SJ_LOG_LEVEL"] = logLevel
        environment.merge(extra) { $1 }
        let log = logDirectory.appendingPathComponent("\(service).log")
        let process = try launchProcess(bin.appendingPathComponent(service), environment: environment, log: log)
        processes[service] = process
        try await waitUntilReady(service, process: process, log: log) {
            (try? await request(service, "GET", "/health/ready", token: nil))?.status == 200
        }
    }

    func stop(dropDatabases: Bool, logger: Logger) async {
        for process in processes.values where process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        if broker.isRunning {
            broker.terminate()
            broker.waitUntilExit()
        }
        guard dropDatabases else { return }
        let admin = PostgresPool(PostgresConfiguration(connectionString: baseURL, poolSize: 1), logger: logger)
        for name in databases.values {
            let database = String(name[name.index(after: name.lastIndex(of: "/")!)...])
            _ = try? await admin.execute("DROP DATABASE IF EXISTS \(identifier: database) WITH (FORCE)")
        }
        await admin.close()
        try? FileManager.default.removeItem(at: logDirectory)
    }

    /// A response (TestSupport's, with headers too).
    typealias Response = ContractResponse

    func request(_ service: String, _ method: String, _ path: String, token: String?, json: Any? = nil) async throws -> Response {
        try await ContractResponse.send(port: ports[service] ?? 0, method, path, token: token, json: json)
    }
}

/// A line on stdout at once, even into a file or pipe (`print` buffers
/// there), so each phase's figures show as they come.
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
