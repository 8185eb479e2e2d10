import Domain
import EventFlow
import Foundation
import Postgres
import Testing

@testable import Inspection

/// The set-based intake: a batch has exactly the effects of its signals
/// applied one at a time (same signals stored, same warnings with the same
/// explanations, same events and audit entries); an invalid one in a batch
/// writes nothing and stops nothing; the office's level stands until signals
/// received after it justify more; a closed warning's signals stay handled.
@Suite(.enabled(if: InspectionDatabase.isConfigured, "needs SJ_TEST_DATABASE_URL (scripts/test.sh)"))
struct SignalBatchTests {
    /// Monday 2026-11-30 10:00 China time.
    let start = Date(timeIntervalSince1970: 1_796_004_000)
    let rules = try! RiskRules.bundled()

    /// The same institution in every database, so two databases' effects compare.
    let institutionId = UUID(uuidString: "0F3C2B1A-5D4E-4F60-8A7B-9C8D7E6F5A4B")!

    func seed(_ db: InspectionDatabase, _ handlers: EventHandlers) async throws {
        for unit in Fixture.units { try await db.apply(unit, with: handlers) }
        try await db.apply(Fixture.institutionEvent(id: institutionId), with: handlers)
    }

    /// A mixed stream about three subjects, each signal at its own time (so
    /// the explanations' order never rests on random ids): the institution
    /// reaches red (passing orange), the school yellow, the unit blue; one
    /// record is sent twice and one is invalid.
    func stream() -> [SignalIntake.Envelope] {
        let institution: [String: Any] = ["institution": ["creditCode": Fixture.creditCode]]
        let school: [String: Any] = ["school": ["name": "房县第一中学"]]
        let unit: [String: Any] = ["unitId": "market-regulation-bureau"]
        let plan: [(String, [String: Any], String)] = [
            (EventType.hotlineComplaintReceived, institution, "medium"), (EventType.petitionReceived, school, "medium"),
            (EventType.hotlineComplaintReceived, institution, "medium"), (EventType.prepaidFundAlertRaised, unit, "medium"),
            (EventType.publicOpinionReported, institution, "low"), (EventType.hotlineComplaintReceived, school, "high"),
            (EventType.safetyIncidentReported, institution, "medium"), (EventType.hotlineComplaintReceived, institution, "high"),
            (EventType.hotlineComplaintReceived, school, "low"), (EventType.petitionReceived, institution, "medium"),
        ]
        var envelopes: [SignalIntake.Envelope] = []
        for (n, (type, concerns, severity)) in plan.enumerated() {
            let data = Fixture.complaint(about: concerns, at: start.addingTimeInterval(Double(-3_600 + n * 60)), severity: severity, n: n)
            envelopes.append(envelope(type, data, id: "ticket-\(n)"))
        }
        envelopes.insert(envelopes[2], at: 5)  // a county system's retry
        var invalid = Fixture.complaint(about: school, at: start, n: 99)
        invalid["summary"] = ""
        envelopes.insert(envelope(EventType.hotlineComplaintReceived, invalid, id: "ticket-99"), at: 7)
        return envelopes
    }

    func envelope(_ type: String, _ data: [String: Any], id: String) -> SignalIntake.Envelope {
        let event = Fixture.event(type, data, id: id, source: Fixture.hotline)
        return SignalIntake.Envelope(source: Fixture.hotline, eventId: id, type: type,
                                     data: try! event.decodeData(as: SignalPayload.self), via: .kafka)
    }

    @Test func aBatchHasTheEffectsOfItsSignalsOneByOne() async throws {
        let clock = TestClock(start)
        let intake = SignalIntake(rules: rules, calendar: .china, now: clock.function)
        let handlers = InspectionHandlers.make(intake: intake)
        let envelopes = stream()

        let oneByOne = try await InspectionDatabase.with { db in
            try await seed(db, handlers)
            var invalid = 0
            for envelope in envelopes {
                do {
                    _ = try await db.pool.transaction { try await intake.apply(envelope, on: $0) }
                } catch is InvalidSignal { invalid += 1 }
            }
            #expect(invalid == 1)
            return try await Self.effects(db)
        }
        let batched = try await InspectionDatabase.with { db in
            try await seed(db, handlers)
            let results = try await db.pool.transaction { try await intake.apply(envelopes, on: $0) }
            #expect(results.filter { if case .failure = $0 { true } else { false } }.count == 1)
            #expect(results.compactMap { try? $0.get() }.filter(\.duplicate).count == 1)
            return try await Self.effects(db)
        }
        #expect(batched.signals == oneByOne.signals)
        #expect(batched.warnings == oneByOne.warnings)
        #expect(batched.events == oneByOne.events)
        #expect(batched.perWarning == oneByOne.perWarning)
        #expect(batched.audit == oneByOne.audit)
        // The stream does what it was made to do.
        #expect(oneByOne.signals.count == 10)
        #expect(oneByOne.warnings.count == 3)
        // The institution: blue, orange (a safety incident), red and its 专题研判 request; the school: blue, yellow; the unit: blue.
        #expect(oneByOne.events.map(\.type) == [
            EventType.warningRaised, EventType.warningEscalated, EventType.warningEscalated, EventType.specialStudyRequested,
            EventType.warningRaised, EventType.warningEscalated, EventType.warningRaised,
        ].sorted())
    }

    /// What an intake left in a database, every random id replaced by what it
    /// stands for (a signal by its source and id, a warning by its subject).
    struct Effects: Equatable {
        struct Event: Equatable, Comparable {
            var key: String
            var type: String
            var payload: String
            static func < (a: Event, b: Event) -> Bool { (a.type, a.key, a.payload) < (b.type, b.key, b.payload) }
        }
        var signals: [String]
        var warnings: [String]
        /// Sorted: subjects may come in another order; each warning's own order is `perWarning`.
        var events: [Event]
        var perWarning: [String: [String]]
        var audit: [String]
    }

    static func effects(_ db: InspectionDatabase) async throws -> Effects {
        var names: [(String, String)] = []
        var signals: [String] = []
        for row in try await db.pool.query("SELECT id::text, source, event_id, subject_key, kind, severity FROM signals ORDER BY event_id") {
            let (id, source, eventId, subject, kind, severity) = try row.decode((String, String, String, String, String, String).self)
            names.append((id, "signal:\(source)/\(eventId)"))
            signals.append("\(source)/\(eventId) \(subject) \(kind) \(severity)")
        }
        for row in try await db.pool.query("SELECT id, subject_key FROM warnings") {
            let (id, subject) = try row.decode((UUID, String).self)
            names.append((id.uuidString.lowercased(), "warning:\(subject)"))
            var bytes = withUnsafeBytes(of: id.uuid) { Array($0) }
            bytes[15] ^= 0x5A
            let study = bytes.withUnsafeBytes { UUID(uuid: $0.load(as: uuid_t.self)) }
            names.append((study.uuidString.lowercased(), "study:\(subject)"))
        }
        func named(_ text: String) -> String {
            var text = text.lowercased()
            for (id, name) in names { text = text.replacingOccurrences(of: id.lowercased(), with: name) }
            return text
        }
        let warnings = try await db.pool.query("SELECT state::text FROM warnings ORDER BY subject_key").map {
            named(try $0.decode(0, as: String.self))
        }
        var events: [Effects.Event] = []
        var perWarning: [String: [String]] = [:]
        for row in try await db.pool.query("SELECT aggregateid, type, payload::text FROM outbox ORDER BY seq") {
            let (key, type, payload) = try row.decode((String, String, String).self)
            events.append(.init(key: named(key), type: type, payload: named(payload)))
            perWarning[named(key), default: []].append(type)
        }
        let audit = try await db.pool.query("""
            SELECT actor_subject || ' ' || action || ' ' || aggregate_type || ' ' || aggregate_id FROM audit_log ORDER BY seq
            """).map { named(try $0.decode(0, as: String.self)) }.sorted()
        return Effects(signals: signals, warnings: warnings, events: events.sorted(), perWarning: perWarning, audit: audit)
    }

    @Test func theOfficesLevelStandsUntilSignalsReceivedAfterItJustifyMore() async throws {
        let clock = TestClock(start)
        let intake = SignalIntake(rules: rules, calendar: .china, now: clock.function)
        let handlers = InspectionHandlers.make(intake: intake)
        try await InspectionDatabase.with { db in
            try await seed(db, handlers)
            let concerns: [String: Any] = ["school": ["name": "房县第二中学"]]
            var n = 0
            func complaints(_ count: Int) async throws {
                let batch = (0..<count).map { _ in
                    n += 1
                    return envelope(EventType.hotlineComplaintReceived, Fixture.complaint(about: concerns, at: clock.now(), n: n), id: "c-\(n)")
                }
                _ = try await db.pool.transaction { try await intake.apply(batch, on: $0) }
            }
            try await complaints(8)
            var warning = try #require(try await db.pool.query("SELECT state FROM warnings").jsonValue(Warning.self))
            #expect(warning.level == .red)

            // The office judges it yellow (the eight complaints are one family's).
            clock.advance(600)
            try warning.changeLevel(to: .yellow, reason: "经核实，系同一家长重复投诉", by: "office-1", rules: rules,
                                    calendar: .china, at: clock.now())
            warning.version += 1
            let judged = warning
            try await db.pool.transaction { connection in try await WarningStore.update(judged, on: connection) }
            clock.advance(600)
            // The eight still score red, but the office judged them: one more complaint changes nothing.
            try await complaints(1)
            warning = try #require(try await db.pool.query("SELECT state FROM warnings").jsonValue(Warning.self))
            #expect(warning.level == .yellow && warning.levelHistory.count == 5)
            // Six complaints received after the judgement reach orange on their own.
            try await complaints(5)
            warning = try #require(try await db.pool.query("SELECT state FROM warnings").jsonValue(Warning.self))
            #expect(warning.level == .orange)
            #expect(warning.levelHistory.last?.by == Warning.scorer && warning.levelHistory.last?.from == .yellow)
            #expect(warning.explanation.receivedAfter == start.addingTimeInterval(600))
            #expect(warning.explanation.contributions.count == 6 && warning.explanation.score == 6)
        }
    }

    @Test func aClosedWarningsSignalsStayHandledAfterANewWarningIsRaised() async throws {
        let clock = TestClock(start)
        let intake = SignalIntake(rules: rules, calendar: .china, now: clock.function)
        let handlers = InspectionHandlers.make(intake: intake)
        try await InspectionDatabase.with { db in
            try await seed(db, handlers)
            let concerns: [String: Any] = ["school": ["name": "房县第三中学"]]
            func complaint(_ n: Int) async throws {
                let one = envelope(EventType.hotlineComplaintReceived, Fixture.complaint(about: concerns, at: clock.now(), n: n), id: "c-\(n)")
                _ = try await db.pool.transaction { try await intake.apply(one, on: $0) }
                clock.advance(60)
            }
            for n in 1...3 { try await complaint(n) }
            var first = try #require(try await db.pool.query("SELECT state FROM warnings").jsonValue(Warning.self))
            #expect(first.level == .blue)
            try first.close(by: "office-1", at: clock.now(), reason: "已核实处置")
            let closed = first
            try await db.pool.transaction { connection in try await WarningStore.update(closed, on: connection) }
            clock.advance(60)
            // Two new complaints raise a new blue warning; the third would make
            // it yellow only if the three handled ones still counted.
            for n in 4...6 { try await complaint(n) }
            let second = try #require(try await db.pool.query("SELECT state FROM warnings WHERE status <> 'closed'").jsonValue(Warning.self))
            #expect(second.level == .blue && second.explanation.contributions.count == 2)
            #expect(second.id != first.id)
        }
    }
}
