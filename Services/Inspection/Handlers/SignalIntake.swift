import Audit
import Domain
import EventFlow
import Foundation
import Postgres
import ServiceKit

/// A county signal's data failed `SignalValidation`: a dead letter naming
/// every field on Kafka, a 422 naming them over HTTP.
struct InvalidSignal: Error, CustomStringConvertible {
    var problems: [Problem.FieldError]
    var description: String { problems.map { "\($0.field): \($0.detail)" }.joined(separator: "; ") }
}

/// The one way a county signal is applied, whichever way it came (the
/// `inspection` consumer or `POST /v1/signals`): validated, matched to its
/// subject and responsible units, stored once per (source, id), scored over
/// its subject's window, and a warning raised or escalated when a threshold
/// is crossed — all in the caller's transaction.
struct SignalIntake: Sendable {
    let rules: RiskRules
    let calendar: WorkingDayCalendar
    let now: @Sendable () -> Date

    static let actor = AuditActor.system("inspection-scorer")

    struct Envelope: Sendable {
        var source: String
        var eventId: String
        var type: String
        var data: SignalPayload
        var via: SignalRecord.Via
    }

    struct Outcome: Sendable {
        var signal: SignalRecord
        /// The same (source, id) was applied before: nothing was written.
        var duplicate: Bool
        /// The warning raised or escalated by this signal.
        var warning: Warning?
    }

    /// Throws `InvalidSignal` (nothing written) for data that breaks the rules.
    func apply(_ envelope: Envelope, on connection: PostgresConnection) async throws -> Outcome {
        guard let kind = SignalKind(eventType: envelope.type) else {
            throw InvalidSignal(problems: [.init(field: "type", detail: "is not a county signal type")])
        }
        let time = now()
        let problems = SignalValidation.problems(envelope.data, kind: kind, now: time)
        guard problems.isEmpty else { throw InvalidSignal(problems: problems) }

        let data = envelope.data
        var topics = rules.kinds[kind]?.topics ?? []
        for topic in (data.topics ?? []) + [data.concerns.topic].compactMap({ $0 }) where !topics.contains(topic) { topics.append(topic) }
        let facts = try await RegistryStore.facts(
            creditCode: data.concerns.institution?.creditCode?.uppercased(), institutionName: data.concerns.institution?.name,
            topics: topics, unitIds: [data.concerns.unitId].compactMap { $0 }, on: connection)
        let subject = SubjectMatching.subject(of: data.concerns, facts: facts)
        let signal = SignalRecord(
            id: UUID(), source: envelope.source, eventId: envelope.eventId, type: envelope.type, kind: kind, via: envelope.via,
            receivedAt: time, subject: subject, topics: topics, data: data)
        guard try await SignalStore.insert(signal, on: connection) else {
            // Applied before, by either path: nothing more is written (the insert's conflict is the check).
            let existing = try await SignalStore.find(source: envelope.source, eventId: envelope.eventId, on: connection)
            return Outcome(signal: existing ?? signal, duplicate: true, warning: nil)
        }

        // One subject is scored by one transaction at a time, whichever path and partition.
        try await connection.execute("SELECT pg_advisory_xact_lock(hashtextextended(\(subject.key), 7))")
        let (open, lastClosed) = try await WarningStore.openAndLastClosed(subjectKey: subject.key, on: connection)
        let since = max(time.addingTimeInterval(-rules.window), lastClosed ?? .distantPast)
        let window = try await SignalStore.window(subjectKey: subject.key, after: since, on: connection)
        let explanation = RiskScore.evaluate(window, at: time, since: lastClosed, rules: rules)
        let units = SubjectMatching.responsibleUnits(for: subject, topics: topics, facts: facts)

        var events: [OutboxEvent] = []
        var warning: Warning
        if var existing = open {
            let previous = existing.level
            guard existing.rescore(explanation, units: units, rules: rules, calendar: calendar, at: time) else {
                return Outcome(signal: signal, duplicate: false, warning: nil)
            }
            existing.version += 1
            existing.updatedAt = time
            warning = existing
            events.append(try InspectionEvent.warning(EventType.warningEscalated, warning, previousLevel: previous))
        } else {
            guard explanation.level != nil else { return Outcome(signal: signal, duplicate: false, warning: nil) }
            warning = Warning.raise(id: UUID(), subject: subject, explanation: explanation, units: units, rules: rules,
                                    calendar: calendar, at: time)
            events.append(try InspectionEvent.warning(EventType.warningRaised, warning))
        }
        if warning.needsSpecialStudy(rules) {
            warning.specialStudyRequested = true
            let request = InspectionEvent.SpecialStudyRequest(for: warning, rules: rules, calendar: calendar, at: time)
            events.append(try InspectionEvent.specialStudy(request, warning))
        }
        if open == nil { try await WarningStore.insert(warning, on: connection) } else { try await WarningStore.update(warning, on: connection) }
        try await Journal.record(events, by: Self.actor, at: time, on: connection)
        return Outcome(signal: signal, duplicate: false, warning: warning)
    }
}
