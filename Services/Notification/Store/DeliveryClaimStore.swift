import ChannelSecrets
import Foundation
import Postgres

/// The delivery worker's claim: one statement leases up to `limit` due
/// deliveries (`FOR UPDATE SKIP LOCKED`, so replicas never claim the same
/// one) and reads what sending them needs.
enum DeliveryClaimStore {
    static func lease(limit: Int, now: Date, until leaseUntil: Date, on connection: PostgresConnection) async throws -> [DueDelivery] {
        // Prepared: the claim runs for every wake-up, and planning its joins took longer than running them.
        try await connection.query(leaseSQL(now: now, leaseUntil: leaseUntil, limit: limit).prepared)
            .map { try DueDelivery(row: $0, leaseUntil: leaseUntil) }
    }

    /// Gives a leased delivery back unsent, due again at `dueAt`, without
    /// counting an attempt (its endpoint's minute was full).
    static func handBack(_ id: UUID, dueAt: Date, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            UPDATE deliveries SET next_attempt_at = \(dueAt), lease_until = NULL WHERE id = \(id)
            """)
    }

    /// Clears a lease this claim set, leaving the delivery as it was (due):
    /// its send was cancelled by shutdown and counts no attempt.
    static func release(_ due: DueDelivery, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            UPDATE deliveries SET lease_until = NULL WHERE id = \(due.delivery.id) AND lease_until = \(due.leaseUntil)
            """)
    }

    /// The claim. The configuration that applies is the one the delivery
    /// names (a plain join: deliveries are made with one), else — for a
    /// delivery that names none — the recipient's own, else their unit's.
    static func leaseSQL(now: Date, leaseUntil: Date, limit: Int) -> PostgresQuery {
        """
        WITH claimed AS (
            UPDATE deliveries SET lease_until = \(leaseUntil)
            WHERE id IN (
                SELECT id FROM deliveries
                WHERE state IN ('pending', 'failed') AND next_attempt_at <= \(now)
                  AND (lease_until IS NULL OR lease_until < \(now))
                ORDER BY next_attempt_at
                LIMIT \(limit)
                FOR UPDATE SKIP LOCKED)
            RETURNING id, notification_id, channel, config_id, idempotency_key, state, attempts,
                      next_attempt_at, last_error, sent_at, created_at, fallback_from, fallback_reason)
        SELECT c.id, c.notification_id, c.channel, c.idempotency_key, c.state, c.attempts,
               c.next_attempt_at, c.last_error, c.sent_at, c.created_at, c.fallback_from, c.fallback_reason,
               n.event_id, n.event_type, n.recipient_id, n.class, n.title, n.body, n.created_at,
               p.name, COALESCE(p.state #>> '{channels,mobile}', p.state ->> 'mobile'),
               COALESCE(named.endpoint, cfg.endpoint), COALESCE(named.secret, cfg.secret),
               COALESCE(named.enabled, cfg.enabled), COALESCE(named.owner_kind, cfg.owner_kind),
               COALESCE(named.owner_id, cfg.owner_id)
        FROM claimed c
        JOIN notifications n ON n.id = c.notification_id
        LEFT JOIN directory_people p ON p.id = n.recipient_id
        LEFT JOIN channel_configs named ON named.id = c.config_id AND named.channel = c.channel
        LEFT JOIN LATERAL (
            SELECT k.endpoint, k.secret, k.enabled, k.owner_kind, k.owner_id FROM channel_configs k
            WHERE named.id IS NULL AND k.channel = c.channel AND (
                  (k.owner_kind = 'person' AND lower(k.owner_id) = n.recipient_id::text)
               OR (k.owner_kind = 'unit' AND k.owner_id = COALESCE(p.unit_id, n.unit_id)))
            ORDER BY (k.owner_kind = 'person') DESC
            LIMIT 1) cfg ON true
        ORDER BY c.next_attempt_at, c.created_at, c.id
        """
    }
}

extension DueDelivery {
    /// Columns in the order `leaseSQL` selects them.
    init(row: PostgresRow, leaseUntil: Date) throws {
        func text(_ column: Int) throws -> String { try row.decode(column, as: String.self) }
        delivery = try DeliveryStore.decode(row)
        let base = DeliveryStore.columnCount
        recipientId = try row.decode(base + 2)
        message = OutboundMessage(
            idempotencyKey: delivery.idempotencyKey, eventId: try text(base), eventType: try text(base + 1),
            recipientId: recipientId, recipientName: try row.decode(base + 7), recipientMobile: try row.decode(base + 8),
            notificationClass: try row.decode(base + 3), title: try text(base + 4), body: try text(base + 5),
            createdAt: try row.decode(base + 6))
        endpoint = try row.decode(base + 9)
        sealedSecret = try row.decode(base + 10)
        configEnabled = try row.decode(base + 11, as: Bool?.self) ?? false
        let kind = try row.decode(base + 12, as: String?.self)
        let owner = try row.decode(base + 13, as: String?.self)
        self.leaseUntil = leaseUntil
        if let kind, let owner {
            secretBinding = SecretBinding(ownerKind: kind, ownerId: owner, channel: delivery.channel.rawValue)
        } else {
            secretBinding = nil
        }
    }
}
