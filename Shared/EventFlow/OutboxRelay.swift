import Domain
import Foundation
import Kafka
import Logging
import Metrics
import Postgres
import ServiceLifecycle
import Synchronization

/// Publishes the outbox (DESIGN.md §4): one active relay per database, woken
/// by NOTIFY with a poll as fallback; reads unpublished rows in `seq` order,
/// produces them (idempotent, acks=all), waits for every delivery report and
/// only then marks them published. It stops a round at the first failed
/// delivery, so a later event of the same key is never marked before an
/// earlier one; a crash between produce and mark republishes the same `ce_id`,
/// which consumers' inboxes skip.
///
/// On graceful shutdown it publishes what is already committed, then returns.
public final class OutboxRelay: Service, Sendable {
    private let database: PostgresConfiguration
    private let producer: KafkaProducer
    private let configuration: OutboxRelayConfiguration
    private let logger: Logger
    private let wake = WakeSignal()
    private let stopping = Atomic<Bool>(false)
    private let metrics = RelayMetrics()

    public static let notifyChannel = "eventflow_outbox"

    public init(database: PostgresConfiguration, producer: KafkaProducer, configuration: OutboxRelayConfiguration, logger: Logger) {
        self.database = database
        self.producer = producer
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "component"] = "outbox-relay"
        self.logger = logger
    }

    public func run() async throws {
        await wake.run(
            wokenByNotifyOn: Self.notifyChannel, database: database, logger: logger,
            onShutdown: { self.stopping.store(true, ordering: .relaxed) }
        ) { await self.loop() }
        logger.info("outbox relay stopped")
    }

    private var isStopping: Bool { stopping.load(ordering: .relaxed) || Task.isCancelled }

    /// Connects, takes the lock, publishes until stopped; any failure closes
    /// the connection (releasing the lock), backs off and starts again.
    private func loop() async {
        var backoff = Backoff(min: configuration.minBackoff, max: configuration.maxBackoff)
        while !Task.isCancelled {
            var connection: PostgresConnection?
            do {
                let locked = try await PostgresConnection.connect(database, logger: logger)
                connection = locked
                // Marking rows published need not wait for the disk: a mark lost
                // in a crash only republishes those rows, which inboxes skip.
                try await locked.execute("SET synchronous_commit = off")
                guard try await acquireLock(on: locked) else { await locked.close(); return }
                logger.info("outbox relay active")
                try await publishUntilStopped(on: locked, backoff: &backoff)
                await locked.close()
                return
            } catch {
                metrics.failures.increment()
                await connection?.close()
                if isStopping {
                    // The next start publishes what is left: nothing is lost, only later.
                    logger.warning("outbox relay stopped after a failed round", metadata: ["error": "\(error)"])
                    return
                }
                let delay = backoff.next()
                logger.warning("outbox relay round failed", metadata: ["error": "\(error)", "retry_in_ms": "\(delay.milliseconds)"])
                try? await Task.sleep(for: delay)
            }
        }
    }

    /// Waits (as a standby) until this relay holds the lock; false = stopped first.
    private func acquireLock(on connection: PostgresConnection) async throws -> Bool {
        var announced = false
        while !isStopping {
            let rows = try await connection.query("SELECT pg_try_advisory_lock(\(configuration.lockKey))")
            if try rows[0].decode(0, as: Bool.self) { return true }
            if !announced { logger.info("another outbox relay is active; standing by"); announced = true }
            await wake.wait(timeout: configuration.pollInterval * 4)
        }
        return false
    }

    private func publishUntilStopped(on connection: PostgresConnection, backoff: inout Backoff) async throws {
        var lastHousekeeping = ContinuousClock.now - configuration.housekeepingInterval
        while true {
            let stopping = isStopping
            let published = try await publishRound(on: connection)
            backoff.reset()
            if ContinuousClock.now - lastHousekeeping >= configuration.housekeepingInterval {
                try await housekeeping(on: connection)
                lastHousekeeping = .now
            }
            if published == configuration.batchSize { continue }
            // Stopping: the round above started after shutdown began, so it
            // saw every event committed before then.
            if stopping { return }
            await wake.wait(timeout: configuration.pollInterval)
        }
    }

    /// One round; returns how many rows it published.
    private func publishRound(on connection: PostgresConnection) async throws -> Int {
        // Prepared (as is the mark below): a round per commit that wrote events.
        let read: PostgresQuery = """
            SELECT seq, id, topic, aggregateid, type, subject, payload::text, headers::text, occurred_at
            FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT \(configuration.batchSize)
            """
        let rows = try await connection.query(read.prepared)
        guard !rows.isEmpty else { return 0 }
        var seqs: [Int64] = []
        var ids: [UUID] = []
        var records: [KafkaRecord] = []
        seqs.reserveCapacity(rows.count)
        records.reserveCapacity(rows.count)
        for row in rows {
            let (seq, id, topic, key, type, subject, payload, headers, occurredAt) =
                try row.decode((Int64, UUID, String, String, String, String?, String, String, Date).self)
            // Most rows carry no extensions ("{}", as jsonb prints it): no decoder run for those.
            let extensions = headers == "{}" ? [:] : (try? EventJSON.decoder.decode([String: String].self, from: Data(headers.utf8))) ?? [:]
            let event = CloudEvent(
                id: id.lowercasedString, source: configuration.source, type: type, subject: subject,
                time: occurredAt, data: Array(payload.utf8), extensions: extensions)
            seqs.append(seq)
            ids.append(id)
            records.append(event.kafkaRecord(topic: topic, key: key))
        }

        let results = await producer.send(records)
        if let hook = configuration.afterDelivery { await hook(ids) }

        let failedAt = results.firstIndex { if case .failure = $0 { true } else { false } }
        let delivered = seqs[..<(failedAt ?? seqs.count)].map(String.init)
        if !delivered.isEmpty {
            let mark: PostgresQuery = """
                UPDATE outbox SET published_at = now(), attempts = attempts + 1
                WHERE seq = ANY(\(delivered)::bigint[])
                """
            try await connection.execute(mark.prepared)
            metrics.published.increment(by: Int64(delivered.count))
        }
        if let failedAt, case .failure(let error) = results[failedAt] {
            try await connection.execute("""
                UPDATE outbox SET attempts = attempts + 1, last_error = \(String(describing: error))
                WHERE seq = \(seqs[failedAt])
                """)
            throw RelayDeliveryFailure(seq: seqs[failedAt], error: error)
        }
        return delivered.count
    }

    /// Backlog metrics, and pruning of rows published longer ago than the retention.
    private func housekeeping(on connection: PostgresConnection) async throws {
        let rows = try await connection.query("""
            SELECT count(*)::bigint, COALESCE(EXTRACT(EPOCH FROM now() - min(occurred_at)), 0)::float8
            FROM outbox WHERE published_at IS NULL
            """)
        let (backlog, oldestAge) = try rows[0].decode((Int64, Double).self)
        metrics.backlog.record(backlog)
        metrics.oldestAge.record(oldestAge)
        let retentionSeconds = Double(configuration.retention.components.seconds)
        let pruned = try await connection.execute("""
            DELETE FROM outbox WHERE seq IN (
                SELECT seq FROM outbox
                WHERE published_at IS NOT NULL AND published_at < now() - make_interval(secs => \(retentionSeconds))
                LIMIT 10000)
            """)
        if pruned > 0 { logger.debug("pruned published outbox rows", metadata: ["count": "\(pruned)"]) }
    }
}

/// A delivery failed; the rows before it were marked, it and those after were not.
struct RelayDeliveryFailure: Error, CustomStringConvertible {
    var seq: Int64
    var error: KafkaError
    var description: String { "delivery of outbox seq \(seq) failed: \(error)" }
}

/// What the relay reports through swift-metrics (exposed on /metrics by ServiceKit).
struct RelayMetrics: Sendable {
    let published = Counter(label: "eventflow_outbox_published_total")
    let failures = Counter(label: "eventflow_outbox_relay_failures_total")
    let backlog = Gauge(label: "eventflow_outbox_backlog")
    let oldestAge = Gauge(label: "eventflow_outbox_oldest_age_seconds")
}
