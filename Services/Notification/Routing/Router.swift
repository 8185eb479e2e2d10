import Domain
import EventFlow
import Foundation
import Logging
import Postgres

/// Turns one event into notifications by its routing rule, inside the
/// consumer's transaction: resolves the recipients against the directory,
/// renders the templates, inserts one notification per recipient (deduped by
/// event id and recipient, so a re-delivered event creates nothing) and the
/// new notifications' deliveries.
struct NotificationRouter: Sendable {
    let rules: RoutingRules
    let clock: @Sendable () -> Date
    let calendar: WorkingDayCalendar
    let officeHours: OfficeHours
    let logger: Logger

    /// A person a rule reaches, and the unit through which it reached them.
    struct Recipient: Sendable, Equatable {
        var personID: UUID
        var name: String
        /// The unit the notification is about for this recipient: the unit
        /// whose liaison or member they are (`viaUnit`), else their own unit.
        var unitID: String?
        /// Reached as a unit's liaison or member: only such letters escalate
        /// (to that unit's member and the office).
        var viaUnit: Bool
    }

    /// What `route` created (nothing for a repeat).
    struct Created: Sendable, Equatable {
        var id: UUID
        var recipient: Recipient
        var escalateAt: Date?
        var channels: [Channel]
    }

    @discardableResult
    func route(_ event: CloudEvent, data: JSONValue, on connection: PostgresConnection) async throws -> [Created] {
        guard let rule = rules[event.type] else { return [] }
        guard rule.applies(to: data) else {
            logger.debug("routing rule condition not met", metadata: ["type": "\(event.type)", "event": "\(event.id)"])
            return []
        }
        var recipients: [Recipient] = []
        for spec in rule.recipients {
            for recipient in try await resolve(spec, data: data, event: event, on: connection)
            where !recipients.contains(where: { $0.personID == recipient.personID }) {
                recipients.append(recipient)
            }
        }
        guard !recipients.isEmpty else {
            logger.debug("event reaches nobody in the directory", metadata: ["type": "\(event.type)", "event": "\(event.id)"])
            return []
        }

        let unitIDs = (rule.title.placeholders + rule.body.placeholders)
            .filter { $0.filter == .unit }
            .flatMap { data.value(at: $0.path)?.strings ?? [] }
        let context = Template.Context(
            data: data, eventTime: event.time, recipientName: "", labels: rules.labels,
            unitNames: try await DirectoryStore.unitNames(Array(Set(unitIDs)), on: connection))

        let now = clock()
        var escalateAt: Date?
        if rule.notificationClass == .letter, let hours = rule.escalateAfterWorkingHours {
            escalateAt = escalationTime(from: now, workingHours: hours)
        }
        var created: [Created] = []
        for recipient in recipients {
            var personal = context
            personal.recipientName = recipient.name
            let due = recipient.viaUnit && recipient.unitID != nil ? escalateAt : nil
            guard let id = try await Self.insertNotification(
                eventID: event.id, eventType: event.type, recipient: recipient.personID, unitID: recipient.unitID,
                notificationClass: rule.notificationClass, title: rule.title.render(personal), body: rule.body.render(personal),
                createdAt: now, escalateAt: due, escalatedFrom: nil, on: connection)
            else { continue }
            let channels = try await Deliveries.create(
                notification: id, eventID: event.id, recipient: recipient.personID, at: now, on: connection)
            created.append(Created(id: id, recipient: recipient, escalateAt: due, channels: channels))
        }
        return created
    }

    /// Inserts a notification unless (event id, recipient) exists: its id when new.
    static func insertNotification(
        eventID: String, eventType: String, recipient: UUID, unitID: String?, notificationClass: NotificationClass,
        title: String, body: String, createdAt: Date, escalateAt: Date?, escalatedFrom: UUID?,
        on connection: PostgresConnection
    ) async throws -> UUID? {
        try await connection.query("""
            INSERT INTO notifications (id, event_id, event_type, recipient_id, unit_id, class, title, body, created_at,
                                       escalate_at, escalated_from)
            VALUES (\(UUID()), \(eventID), \(eventType), \(recipient), \(unitID), \(notificationClass.rawValue), \(title),
                    \(body), \(createdAt), \(escalateAt), \(escalatedFrom))
            ON CONFLICT (event_id, recipient_id) DO NOTHING
            RETURNING id
            """).first.map { try $0.decode(0, as: UUID.self) }
    }

    /// `workingHours` office hours after `instant` on the working-day
    /// calendar. A provisional year (2027 before its notice) is still used;
    /// a year the calendar does not cover falls back to whole calendar days.
    func escalationTime(from instant: Date, workingHours: Int) -> Date {
        do {
            let answer = try calendar.addingWorkingHours(workingHours, to: instant, officeHours: officeHours)
            if answer.isProvisional {
                logger.debug("escalation time rests on a provisional holiday year",
                             metadata: ["years": "\(answer.provisionalYears)"])
            }
            return answer.value
        } catch {
            let perDay = officeHours.periods.reduce(0) { $0 + $1.end - $1.start }
            let days = (Double(workingHours) * 3600 / Double(perDay)).rounded(.up)
            logger.error("working-day calendar cannot count from this instant; counting calendar days",
                         metadata: ["error": "\(error)", "days": "\(Int(days))"])
            return instant.addingTimeInterval(days * 86_400)
        }
    }

    // MARK: - Recipients

    private func resolve(
        _ spec: RecipientSpec, data: JSONValue, event: CloudEvent, on connection: PostgresConnection
    ) async throws -> [Recipient] {
        switch spec {
        case .liaison(let path):
            return try await unitPeople(ids: data.value(at: path)?.strings ?? [], position: .liaison, event: event, on: connection)
        case .member(let path):
            return try await unitPeople(ids: data.value(at: path)?.strings ?? [], position: .member, event: event, on: connection)
        case .office:
            return try await people(withRole: "office", on: connection)
        case .conveners:
            return try await people(withRole: "convener", on: connection)
        case .person(let path):
            let ids = (data.value(at: path)?.strings ?? []).compactMap(UUID.init(uuidString:))
            var found: [Recipient] = []
            for id in ids {
                let row = try await connection.query("SELECT id, name, unit_id FROM directory_people WHERE id = \(id)").first
                guard let row else {
                    logger.debug("recipient not in the directory", metadata: ["person": "\(id)", "event": "\(event.id)"])
                    continue
                }
                let (personID, name, unit) = try row.decode((UUID, String, String?).self)
                found.append(Recipient(personID: personID, name: name, unitID: unit, viaUnit: false))
            }
            return found
        case .unitsWithTopic(let source, let position):
            let topics: [String]
            switch source {
            case .literal(let list): topics = list
            case .path(let path): topics = data.value(at: path)?.strings ?? []
            }
            guard !topics.isEmpty else { return [] }
            let ids = try await connection.query("SELECT id FROM directory_units WHERE topics && \(topics) ORDER BY id")
                .map { try $0.decode(0, as: String.self) }
            return try await unitPeople(ids: ids, position: position, event: event, on: connection)
        }
    }

    /// The liaison or member of each unit, in the order of `ids`; a unit
    /// unknown to the directory or without one is skipped (debug log).
    private func unitPeople(
        ids: [String], position: UnitPosition, event: CloudEvent, on connection: PostgresConnection
    ) async throws -> [Recipient] {
        guard !ids.isEmpty else { return [] }
        let column = position == .liaison ? "liaison_id" : "member_id"
        let rows = try await connection.query("""
            SELECT u.id, p.id, p.name FROM directory_units u
            LEFT JOIN directory_people p ON p.id = u.\(unsafeRaw: column)
            WHERE u.id = ANY(\(ids))
            """)
        var byUnit: [String: (UUID, String)] = [:]
        for row in rows {
            let (unit, person, name) = try row.decode((String, UUID?, String?).self)
            if let person, let name { byUnit[unit] = (person, name) }
        }
        var found: [Recipient] = []
        for unit in ids {
            guard let (person, name) = byUnit[unit] else {
                logger.debug("unit has no \(position.rawValue) in the directory",
                             metadata: ["unit": "\(unit)", "event": "\(event.id)", "type": "\(event.type)"])
                continue
            }
            found.append(Recipient(personID: person, name: name, unitID: unit, viaUnit: true))
        }
        return found
    }

    private func people(withRole role: String, on connection: PostgresConnection) async throws -> [Recipient] {
        try await connection.query("""
            SELECT id, name, unit_id FROM directory_people WHERE \(role) = ANY(roles) ORDER BY name, id
            """).map { row in
            let (id, name, unit) = try row.decode((UUID, String, String?).self)
            return Recipient(personID: id, name: name, unitID: unit, viaUnit: false)
        }
    }
}
