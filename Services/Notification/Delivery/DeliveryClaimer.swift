import Foundation
import Postgres

/// Claims due deliveries: one statement leases up to `limit` of them
/// (`FOR UPDATE SKIP LOCKED`, so replicas never claim the same one) and reads
/// what sending them needs. In the same transaction, robot deliveries take a
/// slot in their endpoint's minute; those that find it full are handed back
/// with `next_attempt_at` at the next minute, without counting an attempt.
struct DeliveryClaimer: Sendable {
    let pool: PostgresPool
    let configuration: DeliveryWorkerConfiguration

    func claim(limit: Int, now: Date) async throws -> [DueDelivery] {
        guard limit > 0 else { return [] }
        let (seconds, attoseconds) = configuration.leaseDuration.components
        let leaseUntil = now.addingTimeInterval(Double(seconds) + Double(attoseconds) / 1e18)
        return try await pool.transaction { connection in
            let rows = try await connection.query(Self.claimSQL(now: now, leaseUntil: leaseUntil, limit: limit))
            var ready: [DueDelivery] = []
            for row in rows {
                let due = try DueDelivery(row: row, leaseUntil: leaseUntil)
                if let perMinute = configuration.ratePerMinute[due.delivery.channel], let endpoint = due.endpoint,
                   due.configEnabled,
                   try await !EndpointRateLimit.admit(endpoint: endpoint, limit: perMinute, now: now, on: connection) {
                    try await connection.execute("""
                        UPDATE deliveries SET next_attempt_at = \(EndpointRateLimit.minute(of: now).addingTimeInterval(60)),
                               lease_until = NULL
                        WHERE id = \(due.delivery.id)
                        """)
                    continue
                }
                ready.append(due)
            }
            return ready
        }
    }

    /// The claim. The lateral join picks the configuration that applies: the
    /// one the delivery names, else the recipient's own, else their unit's.
    static func claimSQL(now: Date, leaseUntil: Date, limit: Int) -> PostgresQuery {
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
                      next_attempt_at, last_error, sent_at, created_at)
        SELECT c.id, c.notification_id, c.channel, c.idempotency_key, c.state, c.attempts,
               c.next_attempt_at, c.last_error, c.sent_at, c.created_at,
               n.event_id, n.event_type, n.recipient_id, n.class, n.title, n.body, n.created_at,
               p.name, COALESCE(p.state #>> '{channels,mobile}', p.state ->> 'mobile'),
               cfg.endpoint, cfg.secret, cfg.enabled
        FROM claimed c
        JOIN notifications n ON n.id = c.notification_id
        LEFT JOIN directory_people p ON p.id = n.recipient_id
        LEFT JOIN LATERAL (
            SELECT k.endpoint, k.secret, k.enabled FROM channel_configs k
            WHERE k.channel = c.channel AND (
                  k.id = c.config_id
               OR (k.owner_kind = 'person' AND lower(k.owner_id) = n.recipient_id::text)
               OR (k.owner_kind = 'unit' AND k.owner_id = COALESCE(p.unit_id, n.unit_id)))
            ORDER BY (k.id = c.config_id) IS TRUE DESC, (k.owner_kind = 'person') DESC
            LIMIT 1) cfg ON true
        ORDER BY c.next_attempt_at, c.created_at, c.id
        """
    }
}
