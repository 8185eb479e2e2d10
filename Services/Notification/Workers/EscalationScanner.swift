import ServiceKit
import Audit
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
/// restarts; `now` is injectable so tests move time without sleeping. What
/// the escalation says is `escalation` in Rules/routing.json, like every text.
final class EscalationScanner: Service, Sendable {
    private let pool: PostgresPool
    private let texts: EscalationTemplates
    private let interval: Duration
    private let batchSize: Int
    private let now: @Sendable () -> Date
    private let logger: Logger

    /// The event this scanner publishes, on `Topic.notificationDeliveries`.
    static let escalatedType = EventType.notificationEscalated

    init(
        pool: PostgresPool, texts: EscalationTemplates, interval: Duration = .seconds(30), batchSize: Int = 100,
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger
    ) {
        precondition(batchSize > 0, "batchSize must be positive")
        self.pool = pool
        self.texts = texts
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

    /// Escalates what is due now (at most `batchSize`), in one transaction.
    @discardableResult
    func scanOnce() async throws -> [Escalation] {
        let time = now()
        return try await pool.transaction { connection in
            let due = try await NotificationStore.lockDueForEscalation(at: time, limit: self.batchSize, on: connection)
            var done: [Escalation] = []
            var events: [OutboxEvent] = []
            for original in due {
                let escalation = try await self.escalate(original, at: time, on: connection)
                done.append(escalation)
                var marked = original
                marked.escalatedAt = time
                events.append(try NotificationEvent.escalated(marked, to: escalation.escalatedTo, at: time))
            }
            try await Journal.record(events, by: .system("notification.escalation"), at: time, on: connection)
            return done
        }
    }

    private func escalate(_ original: InboxNotification, at time: Date, on connection: PostgresConnection) async throws -> Escalation {
        // Who: the unit's member, then every office person; not the original recipient.
        var people: [DirectoryStore.Entry] = []
        var unitName = original.unitId ?? ""
        if let unit = original.unitId, let name = try await DirectoryStore.unitName(unit, on: connection) {
            unitName = name
            if let member = try await DirectoryStore.holders(of: .member, in: [unit], on: connection)[unit] {
                people.append(member)
            } else {
                logger.debug("unit has no member to escalate to", metadata: ["unit": "\(unit)"])
            }
        }
        for person in try await DirectoryStore.people(withRole: .office, on: connection)
        where !people.contains(where: { $0.id == person.id }) {
            people.append(person)
        }
        people.removeAll { $0.id == original.recipientId }

        let recipientName = try await DirectoryStore.person(original.recipientId, on: connection)?.name
        let data = JSONValue.object([
            "unit": .object(["id": .string(original.unitId ?? ""), "name": .string(unitName)]),
            "original": .object([
                "title": .string(original.title), "recipientName": recipientName.map(JSONValue.string) ?? .null,
                "createdAt": .string(RFC3339.format(original.createdAt)),
            ]),
            "escalatedAt": .string(RFC3339.format(time)),
        ])
        let context = Template.Context(data: data, eventTime: time, recipientName: "", labels: texts.labels, unitNames: [:])

        let eventId = "escalation:\(original.id.uuidString.lowercased())"
        var notifications: [UUID] = []
        for person in people {
            var personal = context
            personal.recipientName = person.name
            let (title, body) = (texts.title.render(personal), texts.body.render(personal))
            guard let id = try await NotificationStore.insert(
                eventId: eventId, eventType: EventType.notificationEscalated, recipient: person.id, unitId: original.unitId,
                notificationClass: .letter, title: title, body: body, createdAt: time, escalateAt: nil,
                escalatedFrom: original.id, on: connection)
            else { continue }
            try await DeliveryPlanStore.create(notification: id, eventId: eventId, recipient: person.id, at: time, on: connection)
            notifications.append(id)
        }
        if people.isEmpty {
            logger.warning("letter overdue but nobody to escalate to", metadata: ["notification": "\(original.id)"])
        }
        try await NotificationStore.markEscalated(original.id, at: time, on: connection)
        return Escalation(original: original, escalatedTo: people.map(\.id), notifications: notifications)
    }
}
