import Audit
import EventFlow
import Foundation
import Postgres
import ServiceKit
import Synchronization

/// Records attempts' outcomes: each delivery's new state, its attempt row,
/// the cleared lease and its event (outbox) — and, for a delivery that is
/// now dead, the fallback to the recipient's next channel — all in one
/// transaction, so they are all there or none is. Nothing is recorded for a
/// delivery whose lease is no longer ours (a worker that stalled past it):
/// its new owner records instead, and the receiver recognises the repeat by
/// its idempotency key.
///
/// Outcomes that arrive while a transaction is being written wait and go
/// together in the next one (up to `maxBatch`): under a burst, the cost of a
/// commit is shared by many sends, and nobody waits when it is quiet.
final class DeliveryRecorder: Sendable {
    let pool: PostgresPool
    let retry: RetryPolicy
    let maxBatch: Int

    /// What became of a delivery.
    struct Recorded: Sendable {
        var delivery: Delivery
        var attempt: Int
        /// The delivery on the next channel, when this one died and one was left.
        var fallback: Delivery?
    }

    /// The actor of fallbacks in the audit log: the worker acting on its own.
    static let actor = AuditActor.system("notification.delivery")

    private struct Item: Sendable {
        var due: DueDelivery
        var outcome: DeliveryAttemptStore.Outcome
        /// When the attempt ended: the time its events and any fallback carry.
        var endedAt: Date
        var duration: Duration
    }

    private struct Waiting {
        var item: Item
        var continuation: CheckedContinuation<Result<Recorded?, any Error>, Never>
    }

    private struct State {
        var queue: [Waiting] = []
        var writing = false
    }

    private let state = Mutex(State())

    init(pool: PostgresPool, retry: RetryPolicy, maxBatch: Int = 200) {
        precondition(maxBatch > 0)
        self.pool = pool
        self.retry = retry
        self.maxBatch = maxBatch
    }

    /// Records one attempt; returns once its transaction committed. nil when
    /// the lease had been lost.
    func record(_ due: DueDelivery, outcome: SendOutcome, startedAt: Date, duration: Duration) async throws -> Recorded? {
        let item = decide(due, outcome: outcome, startedAt: startedAt, duration: duration)
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Recorded?, any Error>, Never>) in
            let lead = state.withLock { state -> Bool in
                state.queue.append(Waiting(item: item, continuation: continuation))
                guard !state.writing else { return false }
                state.writing = true
                return true
            }
            // An unstructured task: a shutdown that cancels the sends must not cancel the recording.
            if lead { Task { await self.writeQueued() } }
        }
        return try result.get()
    }

    /// The delivery's next state from the attempt's outcome.
    private func decide(_ due: DueDelivery, outcome: SendOutcome, startedAt: Date, duration: Duration) -> Item {
        let attempt = due.attempt
        let endedAt = startedAt.addingTimeInterval(Double(duration.deliveryMillis) / 1000)
        var stored = DeliveryAttemptStore.Outcome(
            deliveryId: due.delivery.id, leaseUntil: due.leaseUntil, state: .dead, attempt: attempt,
            error: outcome.error, startedAt: startedAt, statusCode: outcome.statusCode,
            durationMs: Int(duration.deliveryMillis))
        switch outcome {
        case .sent:
            stored.state = .sent
            stored.sentAt = endedAt
        case .retryable where !retry.isLast(attempt):
            stored.state = .failed
            stored.nextAttemptAt = endedAt.addingTimeInterval(Double(retry.delay(afterAttempt: attempt).deliveryMillis) / 1000)
        case .retryable, .permanent:
            stored.state = .dead
        }
        return Item(due: due, outcome: stored, endedAt: endedAt, duration: duration)
    }

    /// Writes batches until the queue is empty.
    private func writeQueued() async {
        while true {
            let batch = state.withLock { state -> [Waiting] in
                let batch = Array(state.queue.prefix(maxBatch))
                state.queue.removeFirst(batch.count)
                if batch.isEmpty { state.writing = false }
                return batch
            }
            if batch.isEmpty { return }
            let results: [Result<Recorded?, any Error>]
            do {
                let recorded = try await write(batch.map(\.item))
                results = batch.map { .success(recorded[$0.item.outcome.deliveryId]) }
            } catch where batch.count > 1 {
                // One bad outcome must not hold back the others: each on its own.
                var single: [Result<Recorded?, any Error>] = []
                for waiting in batch {
                    do {
                        single.append(.success(try await write([waiting.item])[waiting.item.outcome.deliveryId]))
                    } catch {
                        single.append(.failure(error))
                    }
                }
                results = single
            } catch {
                results = [.failure(error)]
            }
            for (waiting, result) in zip(batch, results) { waiting.continuation.resume(returning: result) }
        }
    }

    /// One transaction for `items`; the recorded deliveries by id. Metrics
    /// are counted after COMMIT: a record refused (stale lease) or rolled
    /// back counts nothing.
    private func write(_ items: [Item]) async throws -> [UUID: Recorded] {
        let recorded = try await pool.transaction { connection -> [UUID: Recorded] in
            let finished = try await DeliveryAttemptStore.finish(items.map(\.outcome), on: connection)
            var recorded: [UUID: Recorded] = [:]
            var events: [OutboxEvent] = []
            var fallbackEvents: [OutboxEvent] = []
            var fallbacks: [UUID: UUID] = [:]
            var latest = Date.distantPast
            for item in items {
                guard let delivery = finished[item.outcome.deliveryId] else { continue }
                var fallback: Delivery?
                if delivery.state == .dead {
                    let reason = "\(delivery.channel.rawValue) delivery \(delivery.id.uuidString.lowercased()) is dead: "
                        + (item.outcome.error ?? "no reason given")
                    // Due from the attempt's start: at once, whatever clock is injected.
                    fallback = try await DeliveryPlanStore.fallback(
                        after: delivery, recipient: item.due.recipientId, reason: reason, dueAt: item.outcome.startedAt,
                        at: item.endedAt, on: connection)
                    if let fallback {
                        fallbacks[delivery.id] = fallback.id
                        fallbackEvents.append(try DeliveryFallbackPayload(
                            delivery: fallback, notificationId: delivery.notificationId, eventId: item.due.message.eventId,
                            recipientId: item.due.recipientId, fromDeliveryId: delivery.id, fromChannel: delivery.channel,
                            reason: reason
                        ).outboxEvent(occurredAt: item.endedAt))
                        latest = max(latest, item.endedAt)
                    }
                }
                events.append(try DeliveryEventPayload(
                    delivery: delivery, notificationId: delivery.notificationId, eventId: item.due.message.eventId,
                    recipientId: item.due.recipientId, attempt: item.outcome.attempt, error: item.outcome.error
                ).outboxEvent(occurredAt: item.endedAt))
                recorded[delivery.id] = Recorded(delivery: delivery, attempt: item.outcome.attempt, fallback: fallback)
            }
            try await DeliveryAttemptStore.insertAttempts(
                items.map(\.outcome).filter { finished[$0.deliveryId] != nil }, fallbacks: fallbacks, on: connection)
            try await Outbox.append(events, on: connection)
            // A fallback is an act of the system: in the audit log with its event.
            try await Journal.record(fallbackEvents, by: Self.actor, at: latest, on: connection)
            return recorded
        }
        for item in items {
            guard let done = recorded[item.outcome.deliveryId] else { continue }
            DeliveryMetrics.outcome(done.delivery.channel, done.delivery.state).increment()
            DeliveryMetrics.sendDuration(done.delivery.channel).recordNanoseconds(item.duration.nanosecondsForMetrics)
            if let fallback = done.fallback {
                DeliveryMetrics.fallback(from: done.delivery.channel, to: fallback.channel).increment()
            }
        }
        return recorded
    }
}

extension Duration {
    var deliveryMillis: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
