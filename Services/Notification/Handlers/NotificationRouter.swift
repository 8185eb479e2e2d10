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
        var personId: UUID
        var name: String
        /// The unit the notification is about for this recipient: the unit
        /// whose liaison or member they are (`viaUnit`), the unit whose
        /// missing liaison they stand in for, else their own unit.
        var unitId: String?
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
        guard let rule = rules.rule(for: event.type, data: data) else {
            logger.debug("no routing rule applies to the event", metadata: ["type": "\(event.type)", "event": "\(event.id)"])
            return []
        }
        var recipients: [Recipient] = []
        var unitsWithoutLiaison: [String] = []
        for clause in rule.recipients where clause.when?.holds(for: data) ?? true {
            let resolved = try await resolve(clause, data: data, event: event, on: connection)
            unitsWithoutLiaison += resolved.unitsWithoutLiaison
            for recipient in resolved.recipients where !recipients.contains(where: { $0.personId == recipient.personId }) {
                recipients.append(recipient)
            }
        }
        guard !recipients.isEmpty else {
            if rule.notificationClass == .letter {
                countLettersWithoutLiaison(unitsWithoutLiaison, event: event)
                logger.error("letter reaches nobody in the directory", metadata: ["type": "\(event.type)", "event": "\(event.id)"])
            } else {
                logger.debug("event reaches nobody in the directory", metadata: ["type": "\(event.type)", "event": "\(event.id)"])
            }
            return []
        }

        let placeholders = rule.title.placeholders + rule.body.placeholders
        let unitIds = placeholders.filter { $0.filter == .unit }.flatMap { data.value(at: $0.path)?.strings ?? [] }
        let personIds = placeholders.filter { $0.filter == .person }
            .flatMap { data.value(at: $0.path)?.strings ?? [] }.compactMap(UUID.init(uuidString:))
        let context = Template.Context(
            data: data, eventTime: event.time, recipientName: "", labels: rules.labels,
            unitNames: try await DirectoryStore.unitNames(Array(Set(unitIds)), on: connection),
            personNames: try await DirectoryStore.personNames(Array(Set(personIds)), on: connection))

        let now = clock()
        var escalateAt: Date?
        if rule.notificationClass == .letter, let hours = rule.escalateAfterWorkingHours {
            escalateAt = escalationTime(from: now, workingHours: hours)
        }
        var created: [Created] = []
        for recipient in recipients {
            var personal = context
            personal.recipientName = recipient.name
            let due = recipient.viaUnit && recipient.unitId != nil ? escalateAt : nil
            guard let id = try await NotificationStore.insert(
                eventId: event.id, eventType: event.type, recipient: recipient.personId, unitId: recipient.unitId,
                notificationClass: rule.notificationClass, title: rule.title.render(personal), body: rule.body.render(personal),
                createdAt: now, escalateAt: due, escalatedFrom: nil, on: connection)
            else { continue }
            let channels = try await DeliveryPlanStore.create(
                notification: id, eventId: event.id, recipient: recipient.personId, at: now, on: connection)
            created.append(Created(id: id, recipient: recipient, escalateAt: due, channels: channels))
        }
        // Counted once per event: a replay creates nothing and counts nothing.
        if rule.notificationClass == .letter && !created.isEmpty {
            countLettersWithoutLiaison(unitsWithoutLiaison, event: event)
        }
        return created
    }

    private func countLettersWithoutLiaison(_ units: [String], event: CloudEvent) {
        for unit in units {
            RoutingMetrics.lettersWithoutLiaison(unit: unit).increment()
            logger.warning("letter to a unit without a liaison: sent to its fallback recipients instead",
                           metadata: ["unit": "\(unit)", "event": "\(event.id)", "type": "\(event.type)"])
        }
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

    /// Whom one clause reaches, and the units whose missing liaison its
    /// fallback stood in for.
    struct Resolved {
        var recipients: [Recipient] = []
        var unitsWithoutLiaison: [String] = []
    }

    private func resolve(
        _ clause: RecipientClause, data: JSONValue, event: CloudEvent, on connection: PostgresConnection
    ) async throws -> Resolved {
        switch clause.spec {
        case .liaison(let path):
            let ids = data.value(at: path)?.strings ?? []
            let (found, missing) = try await unitPeople(
                ids: ids, position: .liaison, event: event, quiet: !clause.fallback.isEmpty, on: connection)
            guard !clause.fallback.isEmpty else { return Resolved(recipients: found) }
            var resolved = Resolved(recipients: found, unitsWithoutLiaison: missing)
            for unit in missing {
                for fallback in clause.fallback {
                    switch fallback {
                    case .member:
                        resolved.recipients += try await unitPeople(
                            ids: [unit], position: .member, event: event, quiet: false, on: connection).found
                    case .office:
                        resolved.recipients += try await people(withRole: .office, on: connection).map { $0.about(unit) }
                    case .conveners:
                        resolved.recipients += try await people(withRole: .convener, on: connection).map { $0.about(unit) }
                    }
                }
            }
            return resolved
        case .member(let path):
            let ids = data.value(at: path)?.strings ?? []
            return Resolved(recipients: try await unitPeople(
                ids: ids, position: .member, event: event, quiet: false, on: connection).found)
        case .office:
            return Resolved(recipients: try await people(withRole: .office, on: connection))
        case .conveners:
            return Resolved(recipients: try await people(withRole: .convener, on: connection))
        case .person(let path):
            let ids = (data.value(at: path)?.strings ?? []).compactMap(UUID.init(uuidString:))
            var found: [Recipient] = []
            for id in ids {
                guard let person = try await DirectoryStore.person(id, on: connection) else {
                    logger.debug("recipient not in the directory", metadata: ["person": "\(id)", "event": "\(event.id)"])
                    continue
                }
                found.append(Recipient(person, viaUnit: false))
            }
            return Resolved(recipients: found)
        case .unitsWithTopic(let source, let position):
            let topics: [String]
            switch source {
            case .literal(let list): topics = list
            case .path(let path): topics = data.value(at: path)?.strings ?? []
            }
            guard !topics.isEmpty else { return Resolved() }
            let ids = try await DirectoryStore.units(withAnyOf: topics, on: connection)
            return Resolved(recipients: try await unitPeople(
                ids: ids, position: position, event: event, quiet: false, on: connection).found)
        }
    }

    /// The liaison or member of each unit, in the order of `ids`, and the
    /// units the directory does not know or whose post is empty (logged at
    /// debug level unless `quiet`: the caller then handles them).
    private func unitPeople(
        ids: [String], position: UnitPosition, event: CloudEvent, quiet: Bool, on connection: PostgresConnection
    ) async throws -> (found: [Recipient], missing: [String]) {
        let byUnit = try await DirectoryStore.holders(of: position, in: ids, on: connection)
        var found: [Recipient] = []
        var missing: [String] = []
        for unit in ids {
            guard let person = byUnit[unit] else {
                missing.append(unit)
                if !quiet {
                    logger.debug("unit has no \(position.rawValue) in the directory",
                                 metadata: ["unit": "\(unit)", "event": "\(event.id)", "type": "\(event.type)"])
                }
                continue
            }
            found.append(Recipient(personId: person.id, name: person.name, unitId: unit, viaUnit: true))
        }
        return (found, missing)
    }

    private func people(withRole role: PersonRole, on connection: PostgresConnection) async throws -> [Recipient] {
        try await DirectoryStore.people(withRole: role, on: connection).map { Recipient($0, viaUnit: false) }
    }
}

extension NotificationRouter.Recipient {
    /// A person reached directly: the notification is about their own unit.
    init(_ person: DirectoryStore.Entry, viaUnit: Bool) {
        self.init(personId: person.id, name: person.name, unitId: person.unitId, viaUnit: viaUnit)
    }

    /// Standing in for `unit`'s missing liaison: the notification is about
    /// that unit, and does not escalate (only a unit's own posts do).
    func about(_ unit: String) -> Self {
        Self(personId: personId, name: name, unitId: unit, viaUnit: false)
    }
}
