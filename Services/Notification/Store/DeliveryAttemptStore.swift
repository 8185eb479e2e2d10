import Foundation
import Postgres

/// The outcomes of sends: each delivery's new state and its attempt row,
/// written in the recorder's transaction — many outcomes per statement, so
/// a burst costs a few statements and one commit per batch, not per send.
enum DeliveryAttemptStore {
    /// One attempt's outcome, as the recorder decided it.
    struct Outcome: Sendable {
        var deliveryId: UUID
        /// The lease the claim set: recording requires it to be still ours.
        var leaseUntil: Date
        var state: DeliveryState
        var attempt: Int
        var nextAttemptAt: Date?
        var sentAt: Date?
        var error: String?
        var startedAt: Date
        var statusCode: Int?
        var durationMs: Int
    }

    /// Sets each delivery's state after its attempt and clears its lease —
    /// only where the lease is still the one its claim set (a delivery whose
    /// lease ran out belongs to its new owner, who records instead).
    /// The deliveries updated, by id.
    static func finish(_ outcomes: [Outcome], on connection: PostgresConnection) async throws -> [UUID: Delivery] {
        guard !outcomes.isEmpty else { return [:] }
        var query: PostgresQuery = """
            UPDATE deliveries d
            SET state = v.state, attempts = v.attempt,
                next_attempt_at = COALESCE(v.next_attempt_at, d.next_attempt_at),
                lease_until = NULL, last_error = v.error, sent_at = COALESCE(v.sent_at, d.sent_at)
            FROM (VALUES
            """
        for (index, outcome) in outcomes.enumerated() {
            query.append(index == 0 ? "" : ", ")
            query.append("""
                (\(outcome.deliveryId)::uuid, \(outcome.leaseUntil)::timestamptz, \(outcome.state)::text,
                 \(outcome.attempt)::int, \(outcome.nextAttemptAt)::timestamptz, \(outcome.error)::text,
                 \(outcome.sentAt)::timestamptz)
                """)
        }
        query.append("""
            ) AS v (id, lease_until, state, attempt, next_attempt_at, error, sent_at)
            WHERE d.id = v.id AND d.lease_until = v.lease_until
            RETURNING \(unsafeRaw: DeliveryStore.columns)
            """)
        var finished: [UUID: Delivery] = [:]
        for row in try await connection.query(query) {
            let delivery = try DeliveryStore.decode(row)
            finished[delivery.id] = delivery
        }
        return finished
    }

    /// The attempt rows; `fallbacks` names, per delivery, the delivery its
    /// death fell back to.
    static func insertAttempts(
        _ outcomes: [Outcome], fallbacks: [UUID: UUID], on connection: PostgresConnection
    ) async throws {
        guard !outcomes.isEmpty else { return }
        var query: PostgresQuery = """
            INSERT INTO delivery_attempts (delivery_id, attempt, at, status_code, error, duration_ms, fallback_delivery_id) VALUES
            """
        for (index, outcome) in outcomes.enumerated() {
            query.append(index == 0 ? " " : ", ")
            query.append("""
                (\(outcome.deliveryId), \(outcome.attempt), \(outcome.startedAt), \(outcome.statusCode.map(Int32.init)),
                 \(outcome.error), \(Int32(clamping: outcome.durationMs)), \(fallbacks[outcome.deliveryId]))
                """)
        }
        try await connection.execute(query)
    }
}
