import Foundation
import Postgres

/// The outcome of one send: the delivery's new state and the attempt row,
/// written in the recorder's transaction.
enum DeliveryAttemptStore {
    /// Sets the delivery's state after an attempt and clears its lease —
    /// only while the lease is still the one this claim set; nil otherwise
    /// (the delivery's new owner records instead).
    static func finish(
        _ due: DueDelivery, state: DeliveryState, attempt: Int, nextAttemptAt: Date?, sentAt: Date?, error: String?,
        on connection: PostgresConnection
    ) async throws -> Delivery? {
        try await connection.query("""
            UPDATE deliveries d
            SET state = \(state), attempts = \(attempt),
                next_attempt_at = COALESCE(\(nextAttemptAt), next_attempt_at),
                lease_until = NULL, last_error = \(error), sent_at = COALESCE(\(sentAt), sent_at)
            WHERE id = \(due.delivery.id) AND lease_until = \(due.leaseUntil)
            RETURNING \(unsafeRaw: DeliveryStore.columns)
            """).first.map(DeliveryStore.decode)
    }

    static func insertAttempt(
        of delivery: UUID, attempt: Int, at: Date, statusCode: Int?, error: String?, durationMs: Int,
        on connection: PostgresConnection
    ) async throws {
        try await connection.execute("""
            INSERT INTO delivery_attempts (delivery_id, attempt, at, status_code, error, duration_ms)
            VALUES (\(delivery), \(attempt), \(at), \(statusCode.map(Int32.init)), \(error), \(Int32(clamping: durationMs)))
            """)
    }
}
