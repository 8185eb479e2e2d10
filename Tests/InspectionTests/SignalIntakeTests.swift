import Domain
import EventFlow
import Foundation
import Postgres
import Testing

@testable import Inspection

/// The one apply function, through the consumer's handlers and as the HTTP
/// route calls it: matching, dedupe across both ways, scoring, warnings
/// raised and escalated with their units, steps and explanation.
@Suite(.enabled(if: InspectionDatabase.isConfigured, "needs SJ_TEST_DATABASE_URL (scripts/test.sh)"))
struct SignalIntakeTests {
    /// Monday 2026-11-30 10:00 China time.
    let start = Date(timeIntervalSince1970: 1_796_004_000)
    let rules = try! RiskRules.bundled()

    func handlers(_ clock: TestClock) -> (SignalIntake, EventHandlers) {
        let intake = SignalIntake(rules: rules, calendar: .china, now: clock.function)
        return (intake, InspectionHandlers.make(intake: intake))
    }

    func seed(_ db: InspectionDatabase, _ handlers: EventHandlers, institution: UUID) async throws {
        for unit in Fixture.units { try await db.apply(unit, with: handlers) }
        try await db.apply(Fixture.institutionEvent(id: institution), with: handlers)
    }

    @Test func complaintsRaiseABlueWarningAndEscalateItToRed() async throws {
        let clock = TestClock(start)
        let (_, handlers) = handlers(clock)
        try await InspectionDatabase.with { db in
            let institution = UUID()
            try await seed(db, handlers, institution: institution)
            let concerns: [String: Any] = ["institution": ["creditCode": Fixture.creditCode.lowercased()]]
            for n in 1...8 {
                try await db.apply(Fixture.event(EventType.hotlineComplaintReceived,
                                                 Fixture.complaint(about: concerns, at: clock.now(), n: n), source: Fixture.hotline),
                                   with: handlers)
                clock.advance(60)
            }
            let events = try await db.outbox()
            #expect(events.map(\.type) == [
                EventType.warningRaised, EventType.warningEscalated, EventType.warningEscalated, EventType.warningEscalated,
                EventType.specialStudyRequested,
            ])
            let raised = try #require(events.first?.json["warning"] as? [String: Any])
            #expect(raised["level"] as? String == "blue" && raised["status"] as? String == "raised")
            let subject = try #require(raised["subject"] as? [String: Any])
            #expect(subject["key"] as? String == "institution:\(institution.uuidString.lowercased())")
            #expect(subject["name"] as? String == "房县启航培训学校" && subject["registered"] as? Bool == true)
            // The supervising unit leads; the daily-supervision holders follow in their roles.
            let units = try #require(raised["responsibleUnits"] as? [[String: Any]])
            #expect(units.compactMap { $0["unitId"] as? String } == ["education-bureau", "civil-affairs-bureau", "market-regulation-bureau"])
            #expect(units.compactMap { $0["role"] as? String } == ["lead", "assisting", "assisting"])
            #expect(units.first?["basis"] as? [String] == ["supervising", "approving", "daily-supervision"])
            // Blue: the lead unit verifies within 5 working days (Mon 2026-11-30 → Mon 2026-12-07).
            let steps = try #require(raised["handlingSteps"] as? [[String: Any]])
            #expect(steps.count == 1)
            #expect(steps.first?["unitId"] as? String == "education-bureau" && steps.first?["dueDate"] as? String == "2026-12-07")
            #expect(steps.first?["title"] as? String == "核实情况，并将核实结果报协调机制办公室")
            let explanation = try #require(raised["explanation"] as? [String: Any])
            #expect(explanation["threshold"] as? Double == 2)
            #expect((explanation["contributions"] as? [[String: Any]])?.count == 2)

            let red = try #require(events[3].json["warning"] as? [String: Any])
            #expect(events[3].json["previousLevel"] as? String == "orange")
            #expect(red["level"] as? String == "red" && red["id"] as? String == raised["id"] as? String)
            #expect((red["levelHistory"] as? [[String: Any]])?.compactMap { $0["to"] as? String } == ["blue", "yellow", "orange", "red"])
            // Red adds the lead's immediate step (1 working day) and the assisting units' (配合), never the lead's own.
            let redSteps = ((red["handlingSteps"] as? [[String: Any]]) ?? []).filter { $0["level"] as? String == "red" }
            #expect(redSteps.compactMap { $0["unitId"] as? String } == ["education-bureau", "civil-affairs-bureau", "market-regulation-bureau"])
            #expect(redSteps.first?["dueDate"] as? String == "2026-12-01")

            let study = try #require(events[4].json["request"] as? [String: Any])
            #expect(study["title"] as? String == "关于房县启航培训学校红色预警的专题研判")
            #expect(study["holdBy"] as? String == "2026-12-02")
            #expect(study["unitIds"] as? [String] == ["education-bureau", "civil-affairs-bureau", "market-regulation-bureau"])
            #expect(try await db.count("SELECT count(*)::int FROM signals") == 8)
            #expect(try await db.count("SELECT count(*)::int FROM warnings") == 1)
            // Each act is in the audit trail, as the scorer's.
            #expect(try await db.count("SELECT count(*)::int FROM audit_log WHERE actor_subject = 'inspection-scorer'") == 5)
        }
    }

    @Test func aSignalIsAppliedOnceWhicheverWayItCame() async throws {
        let clock = TestClock(start)
        let (intake, handlers) = handlers(clock)
        try await InspectionDatabase.with { db in
            try await seed(db, handlers, institution: UUID())
            let data = Fixture.complaint(about: ["school": ["name": "房县第一中学"]], at: start)
            let event = Fixture.event(EventType.hotlineComplaintReceived, data, id: "ticket-1", source: Fixture.hotline)
            try await db.apply(event, with: handlers)
            let payload = try event.decodeData(as: SignalPayload.self)
            let again = try await db.pool.transaction { connection in
                try await intake.apply(.init(source: Fixture.hotline, eventId: "ticket-1", type: event.type, data: payload, via: .http),
                                       on: connection)
            }
            #expect(again.duplicate && again.signal.via == .kafka)
            try await db.apply(event, with: handlers)
            #expect(try await db.count("SELECT count(*)::int FROM signals") == 1)
            // Another source's ticket-1 is another signal.
            let other = try await db.pool.transaction { connection in
                try await intake.apply(.init(source: "/fangxian/petition", eventId: "ticket-1", type: event.type, data: payload, via: .http),
                                       on: connection)
            }
            #expect(!other.duplicate && other.signal.subject.key == "school:房县第一中学")
            #expect(try await db.count("SELECT count(*)::int FROM signals") == 2)
        }
    }

    @Test func invalidSignalsAreRejectedNamingEveryField() async throws {
        let clock = TestClock(start)
        let (_, handlers) = handlers(clock)
        try await InspectionDatabase.with { db in
            var data = Fixture.complaint(about: ["school": ["name": " "], "unitId": "Education Bureau"], at: start.addingTimeInterval(86_400))
            data["summary"] = ""
            let event = Fixture.event(EventType.petitionReceived, data, source: Fixture.hotline)
            var rejected: EventRejected?
            do { try await db.apply(event, with: handlers) } catch let error as EventRejected { rejected = error }
            #expect(rejected?.reason == "invalid county signal: summary: must not be empty; occurredAt: is in the future; "
                + "concerns: must name exactly one of institution, school, unitId, topic; concerns.school.name: must not be empty; "
                + "concerns.unitId: is not a unit id (lower-case words joined by -)")
            #expect(try await db.count("SELECT count(*)::int FROM signals") == 0)
        }
    }

    @Test func anUnregisteredInstitutionIsItsOwnSubjectAndAClosedWarningsSignalsAreHandled() async throws {
        let clock = TestClock(start)
        let (_, handlers) = handlers(clock)
        try await InspectionDatabase.with { db in
            try await seed(db, handlers, institution: UUID())
            let concerns: [String: Any] = ["institution": ["name": "房县  小太阳托管班"]]
            for n in 1...2 {
                try await db.apply(Fixture.event(EventType.hotlineComplaintReceived, Fixture.complaint(about: concerns, at: clock.now(), n: n),
                                                 source: Fixture.hotline), with: handlers)
            }
            let warning = try #require(try await db.pool.query("SELECT state FROM warnings").jsonValue(Warning.self))
            #expect(warning.subject.key == "institution-name:房县 小太阳托管班" && warning.subject.registered == false)
            #expect(warning.responsibleUnits.map(\.unitId) == ["education-bureau", "market-regulation-bureau"])
            _ = try await db.pool.transaction { connection in
                var closed = warning
                try closed.close(by: "office-1", at: clock.now(), reason: "已核实处置")
                try await WarningStore.update(closed, on: connection)
            }
            clock.advance(60)
            // One more complaint: the two handled ones no longer count, so no new warning yet.
            try await db.apply(Fixture.event(EventType.hotlineComplaintReceived, Fixture.complaint(about: concerns, at: clock.now(), n: 3),
                                             source: Fixture.hotline), with: handlers)
            #expect(try await db.count("SELECT count(*)::int FROM warnings") == 1)
            try await db.apply(Fixture.event(EventType.hotlineComplaintReceived, Fixture.complaint(about: concerns, at: clock.now(), n: 4),
                                             source: Fixture.hotline), with: handlers)
            #expect(try await db.count("SELECT count(*)::int FROM warnings WHERE status = 'raised'") == 1)
            #expect(try await db.count("SELECT count(*)::int FROM warnings") == 2)
        }
    }
}
