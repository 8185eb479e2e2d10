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
            let rows = try await connection.query("""
                UPDATE deliveries
                SET state = \(state.rawValue), attempts = \(attempt),
                    next_attempt_at = COALESCE(\(nextAttemptAt), next_attempt_at),
                    lease_until = NULL, last_error = \(error), sent_at = COALESCE(\(sentAt), sent_at)
                WHERE id = \(due.delivery.id) AND lease_until = \(due.leaseUntil)
                RETURNING id, notification_id, channel, idempotency_key, state, attempts,
                          next_attempt_at, last_error, sent_at, created_at
                """)
            guard let row = rows.first else { return nil }
            let delivery = try Self.delivery(row)
            try await connection.execute("""
                INSERT INTO delivery_attempts (delivery_id, attempt, at, status_code, error, duration_ms)
                VALUES (\(due.delivery.id), \(attempt), \(startedAt), \(outcome.statusCode.map(Int32.init)), \(error), \(Int32(clamping: durationMs)))
                """)
            let payload = DeliveryEventPayload(
                delivery: delivery, notificationID: delivery.notificationID, eventID: due.message.eventID,
                recipientID: due.recipientID, attempt: attempt, error: error)
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

    static func delivery(_ row: PostgresRow) throws -> Delivery {
        guard let channel = Channel(rawValue: try row.decode(2, as: String.self)),
              let state = DeliveryState(rawValue: try row.decode(4, as: String.self))
        else { throw DeliveryRowError("a delivery row has an unknown channel or state") }
        return Delivery(
            id: try row.decode(0), notificationID: try row.decode(1), channel: channel,
            idempotencyKey: try row.decode(3), state: state, attempts: try row.decode(5),
            nextAttemptAt: try row.decode(6), lastError: try row.decode(7), sentAt: try row.decode(8),
            createdAt: try row.decode(9))
    }
}

extension Duration {
    var deliveryMillis: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
