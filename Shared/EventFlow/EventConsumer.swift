import Foundation
import Kafka
import Logging
import Metrics
import Postgres
import ServiceLifecycle
import Synchronization

/// An idempotent consumer (DESIGN.md §4). Each polled batch is applied in
/// one transaction: inbox rows for every event (a conflict = already applied:
/// skipped), then the handlers' effects; only after COMMIT are the Kafka
/// offsets committed. A crash anywhere therefore re-delivers at most the
/// batch in flight, and the inbox makes the re-delivery a no-op.
///
/// Failures: a record that is not a valid CloudEvent, or whose data does not
/// decode, goes to the dead-letter topic at once; an unknown `ce_type` is
/// recorded in the inbox as `unknown-type` and skipped — not as applied: when
/// the same event comes again (`sjctl replay`) to a consumer that now has a
/// handler for it, the row becomes `applied` and the handler runs, once;
/// a transient failure (connection lost,
/// 40001/40P01, `TransientEventError`) retries in place with capped
/// exponential backoff; `EventRejected` goes to the dead-letter topic at once;
/// any other error gets `maxAttempts` runs, then the dead-letter topic.
/// The partition keeps moving in every case.
public final class EventConsumer: Service, Sendable {
    private let pool: PostgresPool
    private let producer: KafkaProducer
    private let handlers: EventHandlers
    private let configuration: EventConsumerConfiguration
    private let logger: Logger
    private let metrics: ConsumerMetrics
    private let stopping = Atomic<Bool>(false)

    public init(
        pool: PostgresPool, producer: KafkaProducer, handlers: EventHandlers,
        configuration: EventConsumerConfiguration, logger: Logger
    ) {
        self.pool = pool
        self.producer = producer
        self.handlers = handlers
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "consumer_group"] = .string(configuration.group)
        self.logger = logger
        self.metrics = ConsumerMetrics(group: configuration.group)
    }

    private var isStopping: Bool { stopping.load(ordering: .relaxed) || Task.isCancelled }

    /// Consumes until graceful shutdown: then finishes the batch in hand,
    /// commits it and leaves the group, so its partitions move at once.
    public func run() async throws {
        let consumer = try KafkaConsumer(configuration: configuration.kafka, logger: logger)
        logger.notice("consuming", metadata: [
            "topics": "\(configuration.topics)", "session_timeout_ms": "\(configuration.kafka.sessionTimeoutMs)",
            "group_instance_id": .string(configuration.kafka.groupInstanceId ?? ""),
        ])
        var lastLagReading = ContinuousClock.now
        var offsets = PendingOffsets()
        var assignment = AssignmentLog(logger: logger)
        do {
            try await withGracefulShutdownHandler {
                while !self.isStopping {
                    guard let batch = try await consumer.nextBatch() else { break }
                    if !batch.isEmpty {
                        try await self.process(batch)
                        offsets.add(batch)
                    }
                    if !offsets.isEmpty { await self.commit(&offsets, consumer) }
                    await assignment.check(consumer)
                    if ContinuousClock.now - lastLagReading >= self.configuration.lagInterval {
                        lastLagReading = .now
                        await self.readLag(consumer, committed: offsets.committed)
                    }
                }
            } onGracefulShutdown: {
                self.stopping.store(true, ordering: .relaxed)
            }
        } catch is StoppedWhileRetrying {
            logger.notice("stopped while retrying; the batch in hand will be re-delivered")
        } catch {
            await commit(&offsets, consumer)
            await consumer.close()
            throw error
        }
        await commit(&offsets, consumer)
        await consumer.close()
        logger.info("consumer stopped")
    }

    /// Commits what was applied. A commit refused during a rebalance is kept
    /// and tried again on the next turn (idle turns included), so an applied
    /// batch is never left uncommitted just because no later record came.
    private func commit(_ offsets: inout PendingOffsets, _ consumer: KafkaConsumer) async {
        do {
            try await consumer.commit(offsets.messages)
            offsets.markCommitted()
        } catch {
            // A partition that moved to another member is its business now: it
            // re-reads from the last commit and its inbox skips what we applied.
            // An empty assignment is a rebalance in progress: keep everything,
            // the partitions usually come back to this member.
            if let assigned = try? await consumer.assignment(), !assigned.isEmpty {
                offsets.keep(only: Set(assigned.map { "\($0.partition)@\($0.topic)" }))
            }
            logger.notice("offset commit failed; will retry", metadata: ["error": "\(error)"])
        }
    }

    // MARK: - A batch

    /// What became of one record before any transaction.
    private enum Item {
        case apply(key: InboxKey, type: String, message: KafkaMessage, AnyEventHandler.Prepared)
        case unknownType(key: InboxKey, type: String, message: KafkaMessage)
        case duplicateInBatch
    }

    private func process(_ batch: [KafkaMessage]) async throws {
        var items: [Item] = []
        var deadLetters: [KafkaRecord] = []
        var seen = Set<InboxKey>()
        items.reserveCapacity(batch.count)
        for message in batch {
            do {
                let event = try CloudEvent(message: message)
                let key = InboxKey(source: event.source, id: event.id)
                guard seen.insert(key).inserted else { items.append(.duplicateInBatch); continue }
                if let handler = handlers.byType[event.type] {
                    items.append(.apply(key: key, type: event.type, message: message, try handler.prepare(event, message)))
                } else {
                    items.append(.unknownType(key: key, type: event.type, message: message))
                }
            } catch {
                logger.warning("invalid record sent to the dead-letter topic", metadata: position(message, error))
                deadLetters.append(DeadLetter.record(for: message, group: configuration.group, error: "\(error)", attempts: 1))
            }
        }

        let toApply = items.filter { if case .duplicateInBatch = $0 { false } else { true } }
        let limit = configuration.partitionConcurrency
        if limit <= 1 {
            deadLetters += try await apply(toApply)
        } else {
            // Each partition's records in their own transaction, several at
            // once: a partition's records stay in offset order, which is the
            // only order Kafka promises (per key), and a burst is no longer
            // applied one statement at a time on a single connection.
            deadLetters += try await withThrowingTaskGroup(of: [KafkaRecord].self) { group in
                var collected: [KafkaRecord] = []
                var running = 0
                for part in Self.byPartition(toApply) {
                    if running >= limit, let done = try await group.next() {
                        collected += done
                        running -= 1
                    }
                    group.addTask { try await self.apply(part) }
                    running += 1
                }
                for try await done in group { collected += done }
                return collected
            }
        }

        try await publish(deadLetters)
    }

    /// Applies `items` in one transaction, or — when that fails, or there is
    /// only one — one by one; returns the dead letters.
    private func apply(_ items: [Item]) async throws -> [KafkaRecord] {
        guard items.count > 1 else { return try await applyOneByOne(items) }
        do {
            try await applyInOneTransaction(items)
            return []
        } catch {
            if error is StoppedWhileRetrying { throw error }
            // Find the culprit: one transaction per record, each with its own attempts.
            logger.debug("batch failed; applying its records one by one", metadata: ["error": "\(error)"])
            return try await applyOneByOne(items)
        }
    }

    /// The items of each topic partition, in their order, partitions in the order first seen.
    private static func byPartition(_ items: [Item]) -> [[Item]] {
        var order: [String] = []
        var parts: [String: [Item]] = [:]
        for item in items {
            let message: KafkaMessage
            switch item {
            case .apply(_, _, let m, _), .unknownType(_, _, let m): message = m
            case .duplicateInBatch: continue
            }
            let key = "\(message.partition)@\(message.topic)"
            if parts[key] == nil { order.append(key) }
            parts[key, default: []].append(item)
        }
        return order.map { parts[$0]! }
    }

    /// The fast path; retries transient failures in place, rethrows anything else.
    private func applyInOneTransaction(_ items: [Item]) async throws {
        var backoff = Backoff(min: configuration.minBackoff, max: configuration.maxBackoff)
        while true {
            do {
                let fresh = try await pool.transaction { connection in
                    let fresh = try await self.insertInbox(items, on: connection)
                    // Consecutive events of one `onBatch` handler go to it together.
                    var run: [AnyEventHandler.Run] = []
                    for item in items {
                        guard case .apply(let key, let type, _, let prepared) = item, fresh.contains(key) else { continue }
                        if let part = prepared.run {
                            if let first = run.first, first.key != part.key { try await self.apply(run, on: connection); run = [] }
                            run.append(part)
                            continue
                        }
                        if !run.isEmpty { try await self.apply(run, on: connection); run = [] }
                        try await self.timed(type) { try await prepared.apply(connection) }
                    }
                    if !run.isEmpty { try await self.apply(run, on: connection) }
                    return fresh
                }
                count(items, fresh: fresh)
                return
            } catch where isTransient(error) {
                try await sleepOrStop(&backoff, after: error, items.count)
            }
        }
    }

    /// The slow path: each record alone, with its own attempts. Returns the
    /// dead letters of the records that failed for good.
    private func applyOneByOne(_ items: [Item]) async throws -> [KafkaRecord] {
        var deadLetters: [KafkaRecord] = []
        for item in items {
            var backoff = Backoff(min: configuration.minBackoff, max: configuration.maxBackoff)
            var attempts = 0
            while true {
                attempts += 1
                do {
                    let fresh = try await pool.transaction { connection in
                        let fresh = try await self.insertInbox([item], on: connection)
                        if case .apply(let key, let type, _, let prepared) = item, fresh.contains(key) {
                            try await self.timed(type) { try await prepared.apply(connection) }
                        }
                        return fresh
                    }
                    count([item], fresh: fresh)
                    break
                } catch where isTransient(error) {
                    attempts -= 1  // a transient failure is not the record's fault
                    try await sleepOrStop(&backoff, after: error, 1)
                } catch {
                    guard case .apply(_, _, let message, _) = item else { throw error }  // inbox insert itself failed
                    if error is EventRejected || attempts >= configuration.maxAttempts {
                        logger.error("record sent to the dead-letter topic", metadata: position(message, error, attempts: attempts))
                        deadLetters.append(DeadLetter.record(
                            for: message, group: configuration.group, error: "\(error)", attempts: attempts))
                        break
                    }
                    logger.warning("handler failed; retrying", metadata: position(message, error, attempts: attempts))
                    try await sleepOrStop(&backoff, after: error, 1)
                }
            }
        }
        return deadLetters
    }

    /// Inbox rows for all items in one statement; returns the keys that were
    /// new (the others were applied before: skip them). A row an earlier
    /// version recorded as `unknown-type` is not a proof of application: an
    /// event this consumer can now apply takes it over (and is returned), so
    /// an upgraded consumer applies what it once skipped, and only once.
    private func insertInbox(_ items: [Item], on connection: PostgresConnection) async throws -> Set<InboxKey> {
        var sources: [String] = [], ids: [String] = [], types: [String] = [], topics: [String] = []
        var partitions: [String] = [], offsets: [String] = [], outcomes: [String] = []
        for item in items {
            let (key, type, message, outcome): (InboxKey, String, KafkaMessage, String)
            switch item {
            case .apply(let k, let t, let m, _): (key, type, message, outcome) = (k, t, m, "applied")
            case .unknownType(let k, let t, let m): (key, type, message, outcome) = (k, t, m, "unknown-type")
            case .duplicateInBatch: continue
            }
            sources.append(key.source)
            ids.append(key.id)
            types.append(type)
            topics.append(message.topic)
            partitions.append(String(message.partition))
            offsets.append(String(message.offset))
            outcomes.append(outcome)
        }
        // Prepared: its text is the same for every batch (the rows travel as arrays).
        let insert: PostgresQuery = """
            INSERT INTO inbox (consumer, source, id, type, topic, kafka_partition, kafka_offset, outcome)
            SELECT \(configuration.group), s, i, t, tp, p::integer, o::bigint, oc
            FROM unnest(\(sources), \(ids), \(types), \(topics), \(partitions), \(offsets), \(outcomes)) AS x(s, i, t, tp, p, o, oc)
            ON CONFLICT (consumer, source, id) DO UPDATE SET
                type = EXCLUDED.type, topic = EXCLUDED.topic, kafka_partition = EXCLUDED.kafka_partition,
                kafka_offset = EXCLUDED.kafka_offset, outcome = EXCLUDED.outcome, handled_at = now()
            WHERE inbox.outcome = 'unknown-type' AND EXCLUDED.outcome = 'applied'
            RETURNING source, id
            """
        let rows = try await connection.query(insert.prepared)
        var fresh = Set<InboxKey>()
        for row in rows {
            let (source, id) = try row.decode((String, String).self)
            fresh.insert(InboxKey(source: source, id: id))
        }
        metrics.duplicates.increment(by: Int64(sources.count - fresh.count))
        return fresh
    }

    /// One call for a run of events of one `onBatch` handler; each event is
    /// timed as its share of the run.
    private func apply(_ run: [AnyEventHandler.Run], on connection: PostgresConnection) async throws {
        guard let first = run.first else { return }
        let start = ContinuousClock.now
        try await first.applyAll(run.map(\.element), connection)
        let share = (ContinuousClock.now - start).nanoseconds / Int64(run.count)
        var perType: [String: Int] = [:]
        for part in run { perType[part.type, default: 0] += 1 }
        for (type, count) in perType {
            let timer = metrics.handlerDuration(type)
            for _ in 0..<count { timer.recordNanoseconds(share) }
        }
    }

    private func timed(_ type: String, _ body: () async throws -> Void) async throws {
        let start = ContinuousClock.now
        defer { metrics.handlerDuration(type).recordNanoseconds((ContinuousClock.now - start).nanoseconds) }
        try await body()
    }

    /// Counted after COMMIT, so a rolled-back attempt counts nothing.
    private func count(_ items: [Item], fresh: Set<InboxKey>) {
        var applied = 0
        for item in items {
            switch item {
            case .apply(let key, _, _, _) where fresh.contains(key):
                applied += 1
            case .unknownType(let key, let type, _) where fresh.contains(key):
                logger.debug("no handler for this type; recorded and skipped", metadata: ["ce_type": .string(type)])
                metrics.unknownTypes.increment()
            default:
                break
            }
        }
        metrics.applied.increment(by: Int64(applied))
        if let afterCommit = configuration.afterCommit {
            afterCommit(items.compactMap { if case .apply(let key, _, _, _) = $0, fresh.contains(key) { key.id } else { nil } })
        }
    }

    /// Dead letters must be stored before the offsets move past them.
    private func publish(_ deadLetters: [KafkaRecord]) async throws {
        guard !deadLetters.isEmpty else { return }
        var pending = deadLetters
        var backoff = Backoff(min: configuration.minBackoff, max: configuration.maxBackoff)
        while true {
            let results = await producer.send(pending)
            var failed: [KafkaRecord] = []
            for (record, result) in zip(pending, results) {
                switch result {
                case .success: metrics.deadLetters(record.topic).increment()
                case .failure: failed.append(record)
                }
            }
            if failed.isEmpty { return }
            pending = failed
            let error = results.compactMap { if case .failure(let e) = $0 { e } else { nil } }.first
            try await sleepOrStop(&backoff, after: error ?? TransientEventError("dead letter not delivered"), failed.count)
        }
    }

    private func isTransient(_ error: any Error) -> Bool {
        switch error {
        case let error as PostgresError: error.isTransient
        case let error as KafkaError: error.isRetriable
        case is TransientEventError: true
        default: false
        }
    }

    private func sleepOrStop(_ backoff: inout Backoff, after error: any Error, _ records: Int) async throws {
        if isStopping { throw StoppedWhileRetrying() }
        let delay = backoff.next()
        logger.warning("transient failure; retrying in place", metadata: [
            "error": "\(error)", "records": "\(records)", "retry_in_ms": "\(delay.milliseconds)",
        ])
        metrics.retries.increment()
        try? await Task.sleep(for: delay)
        if isStopping { throw StoppedWhileRetrying() }
    }

    /// Lag from librdkafka's local state (cached high watermark) and the
    /// offsets this member committed, so reading it never stalls polling.
    private func readLag(_ consumer: KafkaConsumer, committed: [String: Int64]) async {
        do {
            for entry in try await consumer.localOffsets() where entry.high >= 0 {
                let done = committed["\(entry.partition)@\(entry.topic)"] ?? entry.position
                guard done >= 0 else { continue }
                metrics.lag(topic: entry.topic, partition: entry.partition).record(max(0, entry.high - done))
            }
        } catch {
            logger.debug("consumer lag not available", metadata: ["error": "\(error)"])
        }
    }

    private func position(_ message: KafkaMessage, _ error: any Error, attempts: Int = 1) -> Logger.Metadata {
        [
            "topic": .string(message.topic), "partition": "\(message.partition)", "offset": "\(message.offset)",
            "error": "\(error)", "attempts": "\(attempts)",
        ]
    }
}

/// The last handled message per partition, not yet committed.
struct PendingOffsets {
    private var last: [String: KafkaMessage] = [:]

    var isEmpty: Bool { last.isEmpty }
    var messages: [KafkaMessage] { Array(last.values) }

    mutating func keep(only partitions: Set<String>) {
        last = last.filter { partitions.contains($0.key) }
    }

    mutating func add(_ batch: [KafkaMessage]) {
        for message in batch {
            let key = "\(message.partition)@\(message.topic)"
            if let current = last[key], current.offset >= message.offset { continue }
            last[key] = message
        }
    }

    /// The next offset per partition that this member committed last.
    private(set) var committed: [String: Int64] = [:]

    mutating func markCommitted() {
        for (key, message) in last { committed[key] = message.offset + 1 }
        last.removeAll(keepingCapacity: true)
    }
}

struct InboxKey: Hashable, Sendable {
    var source: String
    var id: String
}

/// Shutdown began while a failure was being retried: stop without committing.
struct StoppedWhileRetrying: Error {}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
