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
        try await route([(event, data)], on: connection)
    }

    /// Routes a run of events at once, as a consumer batch brings them: the
    /// directory is read once for all of them (`DirectoryReads`), and their
    /// notifications and first deliveries are written in one statement each.
    /// The result is what routing each alone would give.
    @discardableResult
    func route(_ events: [(event: CloudEvent, data: JSONValue)], on connection: PostgresConnection) async throws -> [Created] {
        let directory = DirectoryReads(connection)
        let now = clock()
        var drafts: [NotificationStore.Draft] = []
        var draftRecipients: [Recipient] = []
        /// Per event: the units whose missing liaison a letter's fallback stood in for.
        var letters: [(event: CloudEvent, unitsWithoutLiaison: [String], drafts: Range<Int>)] = []
        var escalations: [Int: Date] = [:]
        for (event, data) in events {
            guard let rule = rules.rule(for: event.type, data: data) else {
                logger.debug("no routing rule applies to the event", metadata: ["type": "\(event.type)", "event": "\(event.id)"])
                continue
            }
            var recipients: [Recipient] = []
            var unitsWithoutLiaison: [String] = []
            for clause in rule.recipients where clause.when?.holds(for: data) ?? true {
                let resolved = try await resolve(clause, data: data, event: event, in: directory)
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
                continue
            }

            let placeholders = rule.title.placeholders + rule.body.placeholders
            let unitIds = placeholders.filter { $0.filter == .unit }.flatMap { data.value(at: $0.path)?.strings ?? [] }
            let personIds = placeholders.filter { $0.filter == .person }
                .flatMap { data.value(at: $0.path)?.strings ?? [] }.compactMap(UUID.init(uuidString:))
            let context = Template.Context(
                data: data, eventTime: event.time, recipientName: "", labels: rules.labels,
                unitNames: try await directory.unitNames(unitIds),
                personNames: try await directory.personNames(personIds))

            var escalateAt: Date?
            if rule.notificationClass == .letter, let hours = rule.escalateAfterWorkingHours {
                // One clock reading for the run: the same deadline for every letter in it.
                if escalations[hours] == nil { escalations[hours] = escalationTime(from: now, workingHours: hours) }
                escalateAt = escalations[hours]
            }
            let first = drafts.count
            for recipient in recipients {
                var personal = context
                personal.recipientName = recipient.name
                drafts.append(NotificationStore.Draft(
                    eventId: event.id, eventType: event.type, recipient: recipient.personId, unitId: recipient.unitId,
                    notificationClass: rule.notificationClass, title: rule.title.render(personal),
                    body: rule.body.render(personal), createdAt: now,
                    escalateAt: recipient.viaUnit && recipient.unitId != nil ? escalateAt : nil))
                draftRecipients.append(recipient)
            }
            if rule.notificationClass == .letter { letters.append((event, unitsWithoutLiaison, first..<drafts.count)) }
        }
        guard !drafts.isEmpty else { return [] }

        // A re-delivered event finds its notifications there already: nothing new, nothing counted.
        let ids = try await NotificationStore.insert(drafts, on: connection)
        let fresh = drafts.indices.filter { ids[$0] != nil }
        let channels = try await DeliveryPlanStore.createFirst(
            for: fresh.map { (notification: ids[$0]!, eventId: drafts[$0].eventId, recipient: drafts[$0].recipient) },
            at: now, on: connection)
        for letter in letters where letter.drafts.contains(where: { ids[$0] != nil }) {
            countLettersWithoutLiaison(letter.unitsWithoutLiaison, event: letter.event)
        }
        return fresh.map { index in
            Created(
                id: ids[index]!, recipient: draftRecipients[index], escalateAt: drafts[index].escalateAt,
                channels: channels[ids[index]!].map { [$0] } ?? [])
        }
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
        _ clause: RecipientClause, data: JSONValue, event: CloudEvent, in directory: DirectoryReads
    ) async throws -> Resolved {
        switch clause.spec {
        case .liaison(let path):
            let ids = data.value(at: path)?.strings ?? []
            let (found, missing) = try await unitPeople(
                ids: ids, position: .liaison, event: event, quiet: !clause.fallback.isEmpty, in: directory)
            guard !clause.fallback.isEmpty else { return Resolved(recipients: found) }
            var resolved = Resolved(recipients: found, unitsWithoutLiaison: missing)
            for unit in missing {
                for fallback in clause.fallback {
                    switch fallback {
                    case .member:
                        resolved.recipients += try await unitPeople(
                            ids: [unit], position: .member, event: event, quiet: false, in: directory).found
                    case .office:
                        resolved.recipients += try await people(withRole: .office, in: directory).map { $0.about(unit) }
                    case .conveners:
                        resolved.recipients += try await people(withRole: .convener, in: directory).map { $0.about(unit) }
                    }
                }
            }
            return resolved
        case .member(let path):
            let ids = data.value(at: path)?.strings ?? []
            return Resolved(recipients: try await unitPeople(
                ids: ids, position: .member, event: event, quiet: false, in: directory).found)
        case .office:
            return Resolved(recipients: try await people(withRole: .office, in: directory))
        case .conveners:
            return Resolved(recipients: try await people(withRole: .convener, in: directory))
        case .person(let path):
            let ids = (data.value(at: path)?.strings ?? []).compactMap(UUID.init(uuidString:))
            var found: [Recipient] = []
            for id in ids {
                guard let person = try await directory.person(id) else {
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
            let ids = try await directory.units(withAnyOf: topics)
            return Resolved(recipients: try await unitPeople(
                ids: ids, position: position, event: event, quiet: false, in: directory).found)
        }
    }

    /// The liaison or member of each unit, in the order of `ids`, and the
    /// units the directory does not know or whose post is empty (logged at
    /// debug level unless `quiet`: the caller then handles them).
    private func unitPeople(
        ids: [String], position: UnitPosition, event: CloudEvent, quiet: Bool, in directory: DirectoryReads
    ) async throws -> (found: [Recipient], missing: [String]) {
        let byUnit = try await directory.holders(of: position, in: ids)
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

    private func people(withRole role: PersonRole, in directory: DirectoryReads) async throws -> [Recipient] {
        try await directory.people(withRole: role).map { Recipient($0, viaUnit: false) }
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
