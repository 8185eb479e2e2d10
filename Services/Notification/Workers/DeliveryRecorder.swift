import EventFlow
import Foundation
import Postgres

/// Records one attempt's outcome in one transaction: the delivery's new state,
/// the attempt row, the cleared lease and the event (outbox), so they are
/// all there or none is. Nothing is recorded if the lease is no longer ours
/// (a worker that stalled past it): the delivery's new owner records instead,
/// and the receiver recognises the repeat by its idempotency key.
struct DeliveryRecorder: Sendable {
    let pool: PostgresPool
    let retry: RetryPolicy

    /// What became of the delivery; nil when the lease had been lost.
    struct Recorded: Sendable {
        var delivery: Delivery
        var attempt: Int
    }

    func record(_ due: DueDelivery, outcome: SendOutcome, startedAt: Date, duration: Duration) async throws -> Recorded? {
        let attempt = due.attempt
        let now = startedAt.addingTimeInterval(Double(duration.deliveryMillis) / 1000)
        let state: DeliveryState
        var nextAttemptAt: Date? = nil
        var sentAt: Date? = nil
        switch outcome {
        case .sent:
            state = .sent
            sentAt = now
        case .retryable where !retry.isLast(attempt):
            state = .failed
            nextAttemptAt = now.addingTimeInterval(Double(retry.delay(afterAttempt: attempt).deliveryMillis) / 1000)
        case .retryable, .permanent:
            state = .dead
        }
        let error = outcome.error
        let durationMs = Int(duration.deliveryMillis)
        let recorded = try await pool.transaction { connection -> Recorded? in
            guard let delivery = try await DeliveryAttemptStore.finish(
                due, state: state, attempt: attempt, nextAttemptAt: nextAttemptAt, sentAt: sentAt, error: error,
                on: connection)
            else { return nil }
            try await DeliveryAttemptStore.insertAttempt(
                of: due.delivery.id, attempt: attempt, at: startedAt, statusCode: outcome.statusCode, error: error,
                durationMs: durationMs, on: connection)
            let payload = DeliveryEventPayload(
                delivery: delivery, notificationId: delivery.notificationId, eventId: due.message.eventId,
                recipientId: due.recipientId, attempt: attempt, error: error)
            try await Outbox.append(payload.outboxEvent(occurredAt: now), on: connection)
            return Recorded(delivery: delivery, attempt: attempt)
        }
        // Counted after COMMIT: a record refused (stale lease) or rolled back counts nothing.
        if let recorded {
            DeliveryMetrics.outcome(recorded.delivery.channel, recorded.delivery.state).increment()
            DeliveryMetrics.sendDuration(recorded.delivery.channel).recordNanoseconds(duration.nanosecondsForMetrics)
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
