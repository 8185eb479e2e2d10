import Domain
import Foundation
import Postgres

/// Where a notification goes outside the inbox: the recipient's channels in
/// their trying order (`ChannelOrder`). A new notification gets a delivery
/// on the first, due at once; when a delivery is dead, the next channel
/// without a delivery for that notification gets one (the fallback), with
/// the same idempotency key.
///
/// A channel counts when an enabled `channel_configs` row exists for it,
/// owned by the person (owner_id = their id, lower case) or by their unit;
/// the person's own config wins. SMS also needs the person's mobile (the
/// config is the gateway; the number comes from the directory).
enum DeliveryPlanStore {
    typealias Planned = ChannelOrder.Candidate

    /// The channels `person` can be reached on, one config each, in trying order.
    static func plan(for person: UUID, on connection: PostgresConnection) async throws -> [Planned] {
        try await plans(for: [person], on: connection)[person] ?? []
    }

    /// `plan(for:)` of several people in one query.
    static func plans(for people: Set<UUID>, on connection: PostgresConnection) async throws -> [UUID: [Planned]] {
        guard !people.isEmpty else { return [:] }
        let ids = people.map(\.lowercasedString)
        // Prepared: once per consumer batch, and planning it costs more than running it.
        let query: PostgresQuery = """
            SELECT p.id, c.channel, c.id, c.owner_kind, c.priority, p.state -> 'channels' ->> 'mobile'
            FROM directory_people p
            JOIN channel_configs c ON c.enabled AND (
                (c.owner_kind = 'person' AND c.owner_id = lower(p.id::text))
                OR (c.owner_kind = 'unit' AND c.owner_id = p.unit_id))
            WHERE p.id = ANY(\(ids)::uuid[])
            """
        let rows = try await connection.query(query.prepared)
        var candidates: [UUID: [Planned]] = [:]
        for row in rows {
            let (person, channel, configId, kind, priority, mobile) =
                try row.decode((UUID, Channel, UUID, ChannelConfig.OwnerKind, Int, String?).self)
            if channel == .sms && (mobile ?? "").trimmingCharacters(in: .whitespaces).isEmpty { continue }
            candidates[person, default: []].append(Planned(channel: channel, configId: configId, ownerKind: kind, priority: priority))
        }
        return candidates.mapValues(ChannelOrder.ordered)
    }

    /// Inserts the first delivery of a new notification; a repeat (same
    /// notification and channel) is left alone. The channel it went to, if any.
    @discardableResult
    static func create(
        notification: UUID, eventId: String, recipient: UUID, at now: Date, on connection: PostgresConnection
    ) async throws -> [Channel] {
        let created = try await createFirst(for: [(notification, eventId, recipient)], at: now, on: connection)
        return created[notification].map { [$0] } ?? []
    }

    /// The first deliveries of new notifications, in one statement: each on
    /// its recipient's first channel, due at once, keyed by event and
    /// recipient. Notification id → the channel, for those that got one.
    static func createFirst(
        for notifications: [(notification: UUID, eventId: String, recipient: UUID)], at now: Date,
        on connection: PostgresConnection
    ) async throws -> [UUID: Channel] {
        let plans = try await plans(for: Set(notifications.map(\.recipient)), on: connection)
        let firsts = notifications.compactMap { item in plans[item.recipient]?.first.map { (item, $0) } }
        var created: [UUID: Channel] = [:]
        let ids = UUID.random(firsts.count)
        for chunk in stride(from: 0, to: firsts.count, by: 500) {
            var query: PostgresQuery = """
                INSERT INTO deliveries (id, notification_id, channel, config_id, idempotency_key, state, next_attempt_at, created_at)
                VALUES
                """
            for index in chunk..<min(chunk + 500, firsts.count) {
                let (item, first) = firsts[index]
                let key = DeliveryKey.make(eventId: item.eventId, recipientId: item.recipient)
                query.append(index == chunk ? " " : ", ")
                query.append("(\(ids[index]), \(item.notification), \(first.channel), \(first.configId), \(key), 'pending', \(now), \(now))")
            }
            query.append(" ON CONFLICT DO NOTHING RETURNING notification_id, channel")
            for row in try await connection.query(query) {
                let (notification, channel) = try row.decode((UUID, Channel).self)
                created[notification] = channel
            }
        }
        return created
    }

    /// The fallback of `dead`: a new pending delivery, created at `now` and
    /// due at `dueAt` (at once), on the first of the recipient's channels
    /// that has no delivery for this notification yet, with `dead`'s
    /// idempotency key. nil when none is left.
    static func fallback(
        after dead: Delivery, recipient: UUID, reason: String, dueAt: Date, at now: Date, on connection: PostgresConnection
    ) async throws -> Delivery? {
        let used = Set(try await connection.query("""
            SELECT channel FROM deliveries WHERE notification_id = \(dead.notificationId)
            """).map { try $0.decode(0, as: Channel.self) })
        for next in try await plan(for: recipient, on: connection) where !used.contains(next.channel) {
            let created = try await connection.query("""
                INSERT INTO deliveries AS d (id, notification_id, channel, config_id, idempotency_key, state, next_attempt_at,
                                             created_at, fallback_from, fallback_reason)
                VALUES (\(UUID()), \(dead.notificationId), \(next.channel), \(next.configId), \(dead.idempotencyKey), 'pending',
                        \(dueAt), \(now), \(dead.id), \(reason))
                ON CONFLICT DO NOTHING
                RETURNING \(unsafeRaw: DeliveryStore.columns)
                """).first.map(DeliveryStore.decode)
            if let created { return created }
        }
        return nil
    }
}
