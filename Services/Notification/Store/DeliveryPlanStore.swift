import Foundation
import Postgres

/// Creates a new notification's deliveries: one per outside channel the
/// recipient can be reached on, each due at once (the delivery engine sends it).
///
/// A channel counts when an enabled `channel_configs` row exists for it,
/// owned by the person (owner_id = their id, lower case) or by their unit;
/// the person's own config wins. SMS also needs the person's mobile (the
/// config is the gateway; the number comes from the directory).
enum DeliveryPlanStore {
    struct Planned: Sendable, Equatable {
        var channel: Channel
        var configId: UUID
    }

    /// The channels `person` can be reached on, one config each.
    static func plan(for person: UUID, on connection: PostgresConnection) async throws -> [Planned] {
        let rows = try await connection.query("""
            SELECT c.channel, c.id, p.state -> 'channels' ->> 'mobile'
            FROM directory_people p
            JOIN channel_configs c ON c.enabled AND (
                (c.owner_kind = 'person' AND c.owner_id = lower(p.id::text))
                OR (c.owner_kind = 'unit' AND c.owner_id = p.unit_id))
            WHERE p.id = \(person)
            ORDER BY c.channel, CASE c.owner_kind WHEN 'person' THEN 0 ELSE 1 END
            """)
        var planned: [Planned] = []
        for row in rows {
            let (channel, configId, mobile) = try row.decode((Channel, UUID, String?).self)
            guard !planned.contains(where: { $0.channel == channel }) else { continue }
            if channel == .sms && (mobile ?? "").trimmingCharacters(in: .whitespaces).isEmpty { continue }
            planned.append(Planned(channel: channel, configId: configId))
        }
        return planned
    }

    /// Inserts the deliveries of a new notification; a repeat (same
    /// idempotency key or notification and channel) is left alone.
    @discardableResult
    static func create(
        notification: UUID, eventId: String, recipient: UUID, at now: Date, on connection: PostgresConnection
    ) async throws -> [Channel] {
        var created: [Channel] = []
        for item in try await plan(for: recipient, on: connection) {
            let key = DeliveryKey.make(eventId: eventId, recipientId: recipient, channel: item.channel)
            let inserted = try await connection.execute("""
                INSERT INTO deliveries (id, notification_id, channel, config_id, idempotency_key, state, next_attempt_at, created_at)
                VALUES (\(UUID()), \(notification), \(item.channel), \(item.configId), \(key), 'pending', \(now), \(now))
                ON CONFLICT DO NOTHING
                """)
            if inserted > 0 { created.append(item.channel) }
        }
        return created
    }
}
