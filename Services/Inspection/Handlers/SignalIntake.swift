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

/// The one way county signals are applied, whichever way they came (a batch
/// of the `inspection` consumer, or one `POST /v1/signals`): validated,
/// matched to their subjects and responsible units, stored once per
/// (source, id), scored over each subject's window, and warnings raised or
/// escalated where a threshold is crossed — all in the caller's transaction,
/// with a fixed number of statements per batch whatever its size. A batch
/// has exactly the effects of its signals applied one by one in order
/// (`SubjectJudgement`; SignalBatchTests).
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

    /// The rules of the data alone (no I/O): what the consumer checks before
    /// any transaction, so an invalid record is a dead letter of its own.
    func check(_ envelope: Envelope) -> Result<SignalKind, InvalidSignal> {
        guard let kind = SignalKind(eventType: envelope.type) else {
            return .failure(InvalidSignal(problems: [.init(field: "type", detail: "is not a county signal type")]))
        }
        let problems = SignalValidation.problems(envelope.data, kind: kind, now: now())
        return problems.isEmpty ? .success(kind) : .failure(InvalidSignal(problems: problems))
    }

    /// One signal: the batch of one. Throws `InvalidSignal` (nothing written).
    func apply(_ envelope: Envelope, on connection: PostgresConnection) async throws -> Outcome {
        try await apply([envelope], on: connection)[0].get()
    }

    /// Applies `envelopes` in order; one result each, in the same order. An
    /// invalid one writes nothing and does not stop the others.
    func apply(_ envelopes: [Envelope], on connection: PostgresConnection) async throws -> [Result<Outcome, InvalidSignal>] {
        let time = now()
        var results = [Result<Outcome, InvalidSignal>?](repeating: nil, count: envelopes.count)

        // Valid ones, their kinds and topics; a (source, id) met twice in the batch is stored once.
        var valid: [(index: Int, envelope: Envelope, kind: SignalKind, topics: [DutyTopic])] = []
        var firstOf: [SignalRecord.Key: Int] = [:]
        var repeats: [(index: Int, of: SignalRecord.Key)] = []
        for (index, envelope) in envelopes.enumerated() {
            let kind: SignalKind
            switch check(envelope) {
            case .success(let checked): kind = checked
            case .failure(let invalid): results[index] = .failure(invalid); continue
            }
            let key = SignalRecord.Key(source: envelope.source, eventId: envelope.eventId)
            if firstOf[key] != nil { repeats.append((index, key)); continue }
            firstOf[key] = index
            var topics = rules.kinds[kind]?.topics ?? []
            let named = (envelope.data.topics ?? []) + [envelope.data.concerns.topic].compactMap { $0 }
            for topic in named where !topics.contains(topic) { topics.append(topic) }
            valid.append((index, envelope, kind, topics))
        }

        // Subjects and responsible units from one read of the registry's facts.
        let institutions = valid.compactMap { $0.envelope.data.concerns.institution }
        let matching = try await RegistryStore.facts(
            creditCodes: Array(Set(institutions.compactMap { $0.creditCode?.uppercased() })),
            institutionNames: Array(Set(institutions.filter { $0.creditCode == nil }.compactMap(\.name))),
            topics: Array(Set(valid.flatMap(\.topics))).sorted { $0.rawValue < $1.rawValue },
            unitIds: Array(Set(valid.compactMap { $0.envelope.data.concerns.unitId })), on: connection)
        var records: [SignalRecord] = []
        var units: [UUID: [ResponsibleUnit]] = [:]
        for item in valid {
            let data = item.envelope.data
            let facts = matching.facts(
                creditCode: data.concerns.institution?.creditCode?.uppercased(), institutionName: data.concerns.institution?.name,
                topics: item.topics)
            let subject = SubjectMatching.subject(of: data.concerns, facts: facts)
            let record = SignalRecord(
                id: UUID(), source: item.envelope.source, eventId: item.envelope.eventId, type: item.envelope.type, kind: item.kind,
                via: item.envelope.via, receivedAt: time, subject: subject, topics: item.topics, data: data)
            records.append(record)
            units[record.id] = SubjectMatching.responsibleUnits(for: subject, topics: item.topics, facts: facts)
        }

        // Stored once per (source, id): the insert's conflict is the duplicate check.
        let inserted = try await SignalStore.insert(records, on: connection)
        let earlier = try await SignalStore.find(records.filter { !inserted.contains($0.id) }.map(\.key), on: connection)
        let fresh = records.filter { inserted.contains($0.id) }

        let moved = try await judge(fresh, units: units, at: time, on: connection)
        for (item, record) in zip(valid, records) {
            let isNew = inserted.contains(record.id)
            results[item.index] = .success(Outcome(
                signal: isNew ? record : earlier[record.key] ?? record, duplicate: !isNew, warning: moved[record.id]))
        }
        for (index, key) in repeats {
            guard case .success(let first)? = results[firstOf[key]!] else { continue }
            results[index] = .success(Outcome(signal: first.signal, duplicate: true, warning: nil))
        }
        return results.map { $0! }
    }

    /// Scores the subjects of the `fresh` signals — each subject locked, read
    /// and written once — and records the warnings' events. Returns, for each
    /// signal that raised or escalated a warning, that warning.
    private func judge(
        _ fresh: [SignalRecord], units: [UUID: [ResponsibleUnit]], at time: Date, on connection: PostgresConnection
    ) async throws -> [UUID: Warning] {
        guard !fresh.isEmpty else { return [:] }
        var order: [String] = []
        var bySubject: [String: [SignalRecord]] = [:]
        for record in fresh {
            if bySubject[record.subject.key] == nil { order.append(record.subject.key) }
            bySubject[record.subject.key, default: []].append(record)
        }
        // One subject is scored by one transaction at a time, whichever path and
        // partition; locks taken in one order, so two batches never deadlock.
        let keys = order.sorted()
        try await connection.execute("SELECT pg_advisory_xact_lock(hashtextextended(k, 7)) FROM unnest(\(keys)) AS s(k)")
        let states = try await WarningStore.openAndLastClosed(subjectKeys: keys, on: connection)
        let windows = try await SignalStore.windows(
            subjectKeys: keys, after: time.addingTimeInterval(-rules.window), excluding: fresh.map(\.id), on: connection)

        var raised: [Warning] = [], changed: [Warning] = [], events: [OutboxEvent] = []
        var moved: [UUID: Warning] = [:]
        for key in order {
            let signals = bySubject[key]!
            let state = states[key]
            let prior = SubjectJudgement.Prior(
                open: state?.open, lastClosed: state?.lastClosed,
                signals: windows[key] ?? [])
            let judgement = SubjectJudgement(subject: signals[0].subject, rules: rules, calendar: calendar)
            let outcome = judgement.judge(
                prior, fresh: signals.map { .init(signal: $0.scored, units: units[$0.id] ?? []) }, at: time, newWarningId: { UUID() })
            guard let warning = outcome.warning else { continue }
            if outcome.isNew { raised.append(warning) } else { changed.append(warning) }
            for change in outcome.changes { events.append(try event(for: change, at: time)) }
            moved.merge(outcome.movedBy) { $1 }
        }
        try await WarningStore.insert(raised, on: connection)
        try await WarningStore.update(changed, on: connection)
        try await Journal.record(events, by: Self.actor, at: time, on: connection)
        return moved
    }

    private func event(for change: SubjectJudgement.Change, at time: Date) throws -> OutboxEvent {
        switch change {
        case .raised(let warning):
            return try InspectionEvent.warning(EventType.warningRaised, warning)
        case .escalated(let warning, let previous):
            return try InspectionEvent.warning(EventType.warningEscalated, warning, previousLevel: previous)
        case .specialStudyRequested(let warning):
            let request = InspectionEvent.SpecialStudyRequest(for: warning, rules: rules, calendar: calendar, at: time)
            return try InspectionEvent.specialStudy(request, warning)
        }
    }
}
