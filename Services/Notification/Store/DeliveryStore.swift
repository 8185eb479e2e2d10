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
    }

    static let columns = """
        d.id, d.notification_id, d.channel, d.idempotency_key, d.state, d.attempts, d.next_attempt_at,
        d.last_error, d.sent_at, d.created_at
        """

    static func decode(_ row: PostgresRow) throws -> Delivery {
        let (id, notification, channel, key, state, attempts, next, error, sent, created) =
            try row.decode((UUID, UUID, Channel, String, DeliveryState, Int, Date, String?, Date?, Date).self)
        return Delivery(
            id: id, notificationId: notification, channel: channel, idempotencyKey: key, state: state,
            attempts: attempts, nextAttemptAt: next, lastError: error, sentAt: sent, createdAt: created)
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
            SELECT attempt, at, status_code, error, duration_ms FROM delivery_attempts WHERE delivery_id = \(id) ORDER BY attempt
            """).map { row in
                let (attempt, at, status, error, duration) = try row.decode((Int, Date, Int?, String?, Int).self)
                return Attempt(attempt: attempt, at: at, statusCode: status, error: error, durationMs: duration)
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
            Requeued(delivery: try decode(row), eventId: try row.decode(10), recipientId: try row.decode(11))
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
