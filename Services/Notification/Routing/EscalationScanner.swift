import Domain
import EventFlow
import Foundation
import Logging
import Postgres
import ServiceLifecycle

/// Escalates letters nobody acknowledged (签收) in time: every `interval` it
/// claims the due notifications (`escalate_at <= now`, not acknowledged, not
/// escalated; `FOR UPDATE SKIP LOCKED`, so several replicas escalate each
/// once), notifies the unit's member and every office person, marks the
/// original escalated and publishes `notification.escalated.v1` — all in one
/// transaction per batch. The timer lives in PostgreSQL, so it survives
/// restarts; `now` is injectable so tests move time without sleeping.
final class EscalationScanner: Service, Sendable {
    private let pool: PostgresPool
    private let interval: Duration
    private let batchSize: Int
    private let now: @Sendable () -> Date
    private let logger: Logger

    /// The event this scanner publishes, on `Topic.notificationDeliveries`.
    static let escalatedType = EventCatalog.notificationEscalated

    init(
        pool: PostgresPool, interval: Duration = .seconds(30), batchSize: Int = 100,
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger
    ) {
        precondition(batchSize > 0, "batchSize must be positive")
        self.pool = pool
        self.interval = interval
        self.batchSize = batchSize
        self.now = now
        var logger = logger
        logger[metadataKey: "component"] = "escalation-scanner"
        self.logger = logger
    }

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                // A full batch may mean more are due: go again at once.
                while try await scanOnce().count == batchSize && !Task.isShuttingDownGracefully {}
            } catch {
                logger.error("escalation scan failed", metadata: ["error": "\(error)"])
            }
            let interval = self.interval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// One escalated letter: the original and who it went to.
    struct Escalation: Sendable, Equatable {
        var original: InboxNotification
        /// The people notified (the unit's member, the office).
        var escalatedTo: [UUID]
        /// Their new notifications.
        var notifications: [UUID]
    }

    /// `notification.escalated.v1`'s data.
    struct EscalatedPayload: Codable, Sendable, Equatable {
        var notification: InboxNotification
        var escalatedTo: [UUID]
    }

    /// Escalates what is due now (at most `batchSize`), in one transaction.
    @discardableResult
    func scanOnce() async throws -> [Escalation] {
        let time = now()
        return try await pool.transaction { connection in
            let due = try await connection.query("""
                SELECT \(unsafeRaw: NotificationStore.columns) FROM notifications
                WHERE escalate_at <= \(time) AND acknowledged_at IS NULL AND escalated_at IS NULL
                ORDER BY escalate_at, id
                LIMIT \(self.batchSize)
                FOR UPDATE SKIP LOCKED
                """).map(NotificationStore.decode)
            var done: [Escalation] = []
            var events: [OutboxEvent] = []
            for original in due {
                let escalation = try await self.escalate(original, at: time, on: connection)
                done.append(escalation)
                var marked = original
                marked.escalatedAt = time
                events.append(try OutboxEvent(
                    topic: Topic.notificationDeliveries, aggregateType: "notification",
                    aggregateID: original.id.uuidString.lowercased(), type: Self.escalatedType,
                    subject: "notifications/\(original.id.uuidString.lowercased())",
                    payload: EscalatedPayload(notification: marked, escalatedTo: escalation.escalatedTo), occurredAt: time))
            }
            try await Outbox.append(events, on: connection)
            return done
        }
    }

    private func escalate(_ original: InboxNotification, at time: Date, on connection: PostgresConnection) async throws -> Escalation {
        // Who: the unit's member, then every office person; not the original recipient.
        var people: [(id: UUID, name: String)] = []
        var unitName = original.unitID ?? ""
        if let unit = original.unitID,
           let row = try await connection.query("""
               SELECT u.name, p.id, p.name FROM directory_units u
               LEFT JOIN directory_people p ON p.id = u.member_id WHERE u.id = \(unit)
               """).first {
            let (name, member, memberName) = try row.decode((String, UUID?, String?).self)
            unitName = name
            if let member, let memberName { people.append((member, memberName)) }
            else { logger.debug("unit has no member to escalate to", metadata: ["unit": "\(unit)"]) }
        }
        for row in try await connection.query(
            "SELECT id, name FROM directory_people WHERE 'office' = ANY(roles) ORDER BY name, id") {
            let (id, name) = try row.decode((UUID, String).self)
            if !people.contains(where: { $0.id == id }) { people.append((id, name)) }
        }
        people.removeAll { $0.id == original.recipientID }

        let recipientName = try await connection.query(
            "SELECT name FROM directory_people WHERE id = \(original.recipientID)").first
            .map { try $0.decode(0, as: String.self) } ?? "联络员"
        let title = "逾期未签收：\(original.title)"
        let body = "\(unitName)联络员\(recipientName)于\(ChineseDate.format(original.createdAt, withTime: true))收到的“\(original.title)”，"
            + "截至\(ChineseDate.format(time, withTime: true))仍未签收，已超过签收时限。请督促其及时签收并按要求办理。"

        let eventID = "escalation:\(original.id.uuidString.lowercased())"
        var notifications: [UUID] = []
        for person in people {
            guard let id = try await NotificationRouter.insertNotification(
                eventID: eventID, eventType: Self.escalatedType, recipient: person.id, unitID: original.unitID,
                notificationClass: .letter, title: title, body: body, createdAt: time, escalateAt: nil,
                escalatedFrom: original.id, on: connection)
            else { continue }
            try await Deliveries.create(notification: id, eventID: eventID, recipient: person.id, at: time, on: connection)
            notifications.append(id)
        }
        if people.isEmpty {
            logger.warning("letter overdue but nobody to escalate to", metadata: ["notification": "\(original.id)"])
        }
        try await connection.execute("UPDATE notifications SET escalated_at = \(time) WHERE id = \(original.id)")
        return Escalation(original: original, escalatedTo: people.map(\.id), notifications: notifications)
    }
}
