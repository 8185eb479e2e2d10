import Foundation
import Postgres

/// SQL for reading deliveries and re-sending a dead one (the worker that
/// sends them is in Workers/, its claims and results in DeliveryClaimStore
/// and DeliveryAttemptStore).
enum DeliveryStore {
    struct Count: Codable, Sendable {
        var channel: Channel
        var state: DeliveryState
        var count: Int
    }

    struct Attempt: Codable, Sendable {
        var attempt: Int
        var at: Date
        var statusCode: Int?
        var error: String?
        var durationMs: Int
        /// When this attempt made the delivery dead and another channel was
        /// tried next: that channel's new delivery.
        var fallbackDeliveryId: UUID? = nil
        var fallbackChannel: Channel? = nil
    }

    /// A delivery's columns, in `decode`'s order (12 of them).
    static let columns = """
        d.id, d.notification_id, d.channel, d.idempotency_key, d.state, d.attempts, d.next_attempt_at,
        d.last_error, d.sent_at, d.created_at, d.fallback_from, d.fallback_reason
        """
    static let columnCount = 12

    static func decode(_ row: PostgresRow) throws -> Delivery {
        let (id, notification, channel, key, state, attempts, next, error, sent, created, from, reason) =
            try row.decode((UUID, UUID, Channel, String, DeliveryState, Int, Date, String?, Date?, Date, UUID?, String?).self)
        return Delivery(
            id: id, notificationId: notification, channel: channel, idempotencyKey: key, state: state,
            attempts: attempts, nextAttemptAt: next, lastError: error, sentAt: sent, createdAt: created,
            fallbackFromId: from, fallbackReason: reason)
    }

    static func find(recipient: UUID?, eventId: String?, state: DeliveryState?, _ pool: PostgresPool) async throws -> [Delivery] {
        var query: PostgresQuery = """
            SELECT \(unsafeRaw: columns) FROM deliveries d JOIN notifications n ON n.id = d.notification_id WHERE true
            """
        if let recipient { query.append(" AND n.recipient_id = \(recipient)") }
        if let eventId { query.append(" AND n.event_id = \(eventId)") }
        if let state { query.append(" AND d.state = \(state)") }
        query.append(" ORDER BY d.created_at DESC, d.id LIMIT 500")
        return try await pool.query(query).map(decode)
    }

    static func counts(_ pool: PostgresPool) async throws -> [Count] {
        try await pool.query("SELECT channel, state, count(*)::int FROM deliveries GROUP BY channel, state ORDER BY channel, state")
            .map { row in
                let (channel, state, count) = try row.decode((Channel, DeliveryState, Int).self)
                return Count(channel: channel, state: state, count: count)
            }
    }

    static func attempts(of id: UUID, _ pool: PostgresPool) async throws -> [Attempt] {
        try await pool.query("""
            SELECT a.attempt, a.at, a.status_code, a.error, a.duration_ms, a.fallback_delivery_id, f.channel
            FROM delivery_attempts a LEFT JOIN deliveries f ON f.id = a.fallback_delivery_id
            WHERE a.delivery_id = \(id) ORDER BY a.attempt
            """).map { row in
                let (attempt, at, status, error, duration, fallback, channel) =
                    try row.decode((Int, Date, Int?, String?, Int, UUID?, Channel?).self)
                return Attempt(
                    attempt: attempt, at: at, statusCode: status, error: error, durationMs: duration,
                    fallbackDeliveryId: fallback, fallbackChannel: channel)
            }
    }

    /// A dead delivery back to pending, due now (its attempts are kept).
    static func resend(_ id: UUID, at: Date, on connection: PostgresConnection) async throws -> Requeued? {
        try await connection.query("""
            UPDATE deliveries d SET state = 'pending', next_attempt_at = \(at), lease_until = NULL
            FROM notifications n
            WHERE d.id = \(id) AND d.state = 'dead' AND n.id = d.notification_id
            RETURNING \(unsafeRaw: columns), n.event_id, n.recipient_id
            """).first.map { row in
            Requeued(delivery: try decode(row), eventId: try row.decode(columnCount), recipientId: try row.decode(columnCount + 1))
        }
    }

    /// A re-queued delivery and what it is for.
    struct Requeued: Sendable {
        var delivery: Delivery
        var eventId: String
        var recipientId: UUID
    }
}

// Channels, states and classes are kept as their raw values; an unknown
// value in a row is an error, never a silent default.
extension Channel: PostgresTextEnum {}
extension DeliveryState: PostgresTextEnum {}
extension NotificationClass: PostgresTextEnum {}
extension ChannelConfig.OwnerKind: PostgresTextEnum {}
