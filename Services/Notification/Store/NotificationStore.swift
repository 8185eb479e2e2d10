import Domain
import Foundation
import Postgres

/// SQL for the inbox.
enum NotificationStore {
    static let columns = """
        id, event_id, event_type, recipient_id, unit_id, class, title, body, created_at, read_at,
        acknowledged_at, acknowledged_by, escalate_at, escalated_at
        """

    static func decode(_ row: PostgresRow) throws -> InboxNotification {
        let (id, eventId, eventType, recipient, unit, kind, title, body, created, read, acknowledged, by, escalate, escalated) =
            try row.decode((UUID, String, String, UUID, String?, NotificationClass, String, String, Date, Date?, Date?, String?, Date?, Date?).self)
        return InboxNotification(
            id: id, eventId: eventId, eventType: eventType, recipientId: recipient, unitId: unit,
            notificationClass: kind, title: title, body: body, createdAt: created,
            readAt: read, acknowledgedAt: acknowledged, acknowledgedBy: by, escalateAt: escalate, escalatedAt: escalated)
    }

    static func inbox(of person: UUID, unreadOnly: Bool, _ pool: PostgresPool) async throws -> [InboxNotification] {
        var query: PostgresQuery = "SELECT \(unsafeRaw: columns) FROM notifications WHERE recipient_id = \(person)"
        if unreadOnly { query.append(" AND read_at IS NULL") }
        query.append(" ORDER BY created_at DESC, id LIMIT 500")
        return try await pool.query(query).map(decode)
    }

    static func lock(_ id: UUID, of person: UUID, on connection: PostgresConnection) async throws -> InboxNotification? {
        try await connection.query("""
            SELECT \(unsafeRaw: columns) FROM notifications WHERE id = \(id) AND recipient_id = \(person) FOR UPDATE
            """).first.map(decode)
    }

    static func markRead(_ id: UUID, at: Date, on connection: PostgresConnection) async throws {
        try await connection.execute("UPDATE notifications SET read_at = \(at) WHERE id = \(id) AND read_at IS NULL")
    }

    static func acknowledge(_ id: UUID, by subject: String, at: Date, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            UPDATE notifications SET acknowledged_at = \(at), acknowledged_by = \(subject), read_at = COALESCE(read_at, \(at))
            WHERE id = \(id)
            """)
    }

    /// A notification to insert (`insert(_:on:)`).
    struct Draft: Sendable {
        var eventId: String
        var eventType: String
        var recipient: UUID
        var unitId: String?
        var notificationClass: NotificationClass
        var title: String
        var body: String
        var createdAt: Date
        var escalateAt: Date?
    }

    /// Inserts notifications, many to a statement; a draft whose (event id,
    /// recipient) exists is left out. Each draft's id when it was new, in
    /// the drafts' order.
    static func insert(_ drafts: [Draft], on connection: PostgresConnection) async throws -> [UUID?] {
        let ids = UUID.random(drafts.count)
        var inserted = Set<UUID>()
        for chunk in stride(from: 0, to: drafts.count, by: 500) {
            var query: PostgresQuery = """
                INSERT INTO notifications (id, event_id, event_type, recipient_id, unit_id, class, title, body, created_at,
                                           escalate_at)
                VALUES
                """
            for index in chunk..<min(chunk + 500, drafts.count) {
                let draft = drafts[index]
                query.append(index == chunk ? " " : ", ")
                query.append("""
                    (\(ids[index]), \(draft.eventId), \(draft.eventType), \(draft.recipient), \(draft.unitId),
                     \(draft.notificationClass), \(draft.title), \(draft.body), \(draft.createdAt), \(draft.escalateAt))
                    """)
            }
            query.append(" ON CONFLICT (event_id, recipient_id) DO NOTHING RETURNING id")
            for row in try await connection.query(query) { inserted.insert(try row.decode(0, as: UUID.self)) }
        }
        return ids.map { inserted.contains($0) ? $0 : nil }
    }

    /// Inserts a notification unless (event id, recipient) exists: its id when new.
    static func insert(
        eventId: String, eventType: String, recipient: UUID, unitId: String?, notificationClass: NotificationClass,
        title: String, body: String, createdAt: Date, escalateAt: Date?, escalatedFrom: UUID?,
        on connection: PostgresConnection
    ) async throws -> UUID? {
        try await connection.query("""
            INSERT INTO notifications (id, event_id, event_type, recipient_id, unit_id, class, title, body, created_at,
                                       escalate_at, escalated_from)
            VALUES (\(UUID()), \(eventId), \(eventType), \(recipient), \(unitId), \(notificationClass), \(title),
                    \(body), \(createdAt), \(escalateAt), \(escalatedFrom))
            ON CONFLICT (event_id, recipient_id) DO NOTHING
            RETURNING id
            """).first.map { try $0.decode(0, as: UUID.self) }
    }

    /// Letters due for escalation at `time` (not acknowledged, not yet
    /// escalated), oldest first, locked; rows another replica holds are
    /// skipped, so each is escalated once.
    static func lockDueForEscalation(at time: Date, limit: Int, on connection: PostgresConnection) async throws -> [InboxNotification] {
        try await connection.query("""
            SELECT \(unsafeRaw: columns) FROM notifications
            WHERE escalate_at <= \(time) AND acknowledged_at IS NULL AND escalated_at IS NULL
            ORDER BY escalate_at, id
            LIMIT \(limit)
            FOR UPDATE SKIP LOCKED
            """).map(decode)
    }

    static func markEscalated(_ id: UUID, at time: Date, on connection: PostgresConnection) async throws {
        try await connection.execute("UPDATE notifications SET escalated_at = \(time) WHERE id = \(id)")
    }
}
