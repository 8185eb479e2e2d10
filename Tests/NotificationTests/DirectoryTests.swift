import Domain
import EventFlow
import Foundation
import Postgres
import Testing

@testable import Notification

@Suite(.enabled(if: NotificationDatabase.isConfigured, "needs SJ_TEST_DATABASE_URL (scripts/test.sh)"))
struct DirectoryTests {
    let now = Fixture.china("2026-09-30 10:00")

    func handlers() throws -> EventHandlers {
        let now = self.now
        return NotificationHandlers.make(rules: try RoutingRules.bundled(), clock: { now })
    }

    @Test func everyRegistryTypeHasAHandler() throws {
        let types = Set(try handlers().types)
        for type in EventType.registry { #expect(types.contains(type), "no handler for \(type)") }
        #expect(types.contains(EventType.letterIssued))
    }

    @Test func unitsAndPeopleAreUpsertedWithTheirTopicsRolesAndChannels() async throws {
        let handlers = try handlers()
        try await NotificationDatabase.with { db in
            let member = UUID(), liaison = UUID()
            try await db.apply(Fixture.unitEvent(Fixture.unit(
                "public-security-bureau", "县公安局", topics: [["fire-safety", "public-security"], ["fire-safety", "stability"]],
                member: member, liaison: liaison), time: now), with: handlers)
            try await db.apply(Fixture.personEvent(Fixture.person(
                liaison, "张警官", unit: "public-security-bureau", roles: ["liaison"], mobile: "13800000001"), time: now), with: handlers)

            let unit = try #require(try await db.pool.query("""
                SELECT name, member_id, liaison_id, topics, version, state->>'name' FROM directory_units WHERE id = 'public-security-bureau'
                """).first)
            let (name, memberId, liaisonId, topics, version, stateName) =
                try unit.decode((String, UUID?, UUID?, [String], Int, String).self)
            #expect(name == "县公安局")
            #expect(memberId == member)
            #expect(liaisonId == liaison)
            #expect(topics == ["fire-safety", "public-security", "stability"])
            #expect(version == 1)
            #expect(stateName == "县公安局")

            let person = try #require(try await db.pool.query("""
                SELECT unit_id, name, roles, state->'channels'->>'mobile', version FROM directory_people WHERE id = \(liaison)
                """).first)
            let (unitId, personName, roles, mobile, personVersion) = try person.decode((String?, String, [String], String?, Int).self)
            #expect(unitId == "public-security-bureau")
            #expect(personName == "张警官")
            #expect(roles == ["liaison"])
            #expect(mobile == "13800000001")
            #expect(personVersion == 1)
        }
    }

    @Test func anOlderVersionNeverOverwritesANewerOne() async throws {
        let handlers = try handlers()
        try await NotificationDatabase.with { db in
            let person = UUID()
            try await db.apply(Fixture.unitEvent(
                Fixture.unit("finance-bureau", "县财政局（新）", topics: [["funding"]], version: 3), time: now,
                type: EventType.unitUpdated), with: handlers)
            try await db.apply(Fixture.unitEvent(
                Fixture.unit("finance-bureau", "县财政局", topics: [["funding"], ["after-school-service"]], version: 1), time: now),
                with: handlers)
            // The same version again: no change either.
            try await db.apply(Fixture.unitEvent(
                Fixture.unit("finance-bureau", "县财政局（重放）", version: 3), time: now, type: EventType.unitUpdated),
                with: handlers)
            let (name, version, topics) = try await db.pool.query(
                "SELECT name, version, topics FROM directory_units WHERE id = 'finance-bureau'").first!
                .decode((String, Int, [String]).self)
            #expect(name == "县财政局（新）")
            #expect(version == 3)
            #expect(topics == ["funding"])

            try await db.apply(Fixture.personEvent(Fixture.person(person, "赵六", unit: "finance-bureau", roles: ["member", "liaison"], version: 2),
                                                   time: now, type: EventType.personChanged), with: handlers)
            try await db.apply(Fixture.personEvent(Fixture.person(person, "赵六（旧）", unit: "finance-bureau", roles: ["liaison"], version: 1),
                                                   time: now), with: handlers)
            let (personName, roles) = try await db.pool.query("SELECT name, roles FROM directory_people WHERE id = \(person)").first!
                .decode((String, [String]).self)
            #expect(personName == "赵六")
            #expect(roles == ["member", "liaison"])

            // A newer one does.
            try await db.apply(Fixture.personEvent(Fixture.person(person, "赵六", unit: "finance-bureau", roles: ["member"], version: 4),
                                                   time: now, type: EventType.personChanged), with: handlers)
            #expect(try await db.pool.query("SELECT roles FROM directory_people WHERE id = \(person)").first!
                .decode(0, as: [String].self) == ["member"])
        }
    }

    @Test func aLiaisonChangeUpdatesTheUnitAndTheNewLiaison() async throws {
        let handlers = try handlers()
        try await NotificationDatabase.with { db in
            let old = UUID(), new = UUID()
            try await db.apply(Fixture.unitEvent(Fixture.unit("health-bureau", "县卫健局", topics: [["epidemic-prevention"]], liaison: old),
                                                 time: now), with: handlers)
            let change = Fixture.event(EventType.liaisonChanged, [
                "unit": Fixture.unit("health-bureau", "县卫健局", topics: [["epidemic-prevention"]], liaison: new, version: 2),
                "liaison": Fixture.person(new, "孙医生", unit: "health-bureau", roles: ["liaison"], version: 2),
                "previousLiaisonId": old.uuidString,
            ], time: now)
            try await db.apply(change, with: handlers)
            #expect(try await db.pool.query("SELECT liaison_id FROM directory_units WHERE id = 'health-bureau'").first!
                .decode(0, as: UUID.self) == new)
            #expect(try await db.pool.query("SELECT name FROM directory_people WHERE id = \(new)").first!
                .decode(0, as: String.self) == "孙医生")
        }
    }

    @Test func proposalAndInstitutionEventsLeaveTheDirectoryAlone() async throws {
        let handlers = try handlers()
        try await NotificationDatabase.with { db in
            let proposal = Fixture.event(EventType.proposalSubmitted, ["proposal": [
                "id": UUID().uuidString, "unitName": "县气象局", "proposedUnitId": "meteorology-bureau", "duties": [[String: Any]](),
                "reason": "承担极端天气预警", "status": "proposed", "proposed": ["by": "office-1", "at": "2026-09-30T02:00:00.000Z"],
                "version": 1,
            ] as [String: Any]], time: now)
            let proposalApplied = try await db.apply(proposal, with: handlers)
            #expect(proposalApplied)
            let institution = Fixture.event(EventType.institutionUpdated, ["institution": [
                "id": UUID().uuidString, "name": "某培训学校", "whitelisted": true,
            ] as [String: Any]], time: now)
            let institutionApplied = try await db.apply(institution, with: handlers)
            #expect(institutionApplied)
            #expect(try await db.count("SELECT count(*) FROM directory_units") == 0)
            #expect(try await db.count("SELECT count(*) FROM directory_people") == 0)
        }
    }

    @Test func aPayloadOfTheWrongShapeIsInvalid() async throws {
        let handlers = try handlers()
        try await NotificationDatabase.with { db in
            let broken = Fixture.event(EventType.unitUpdated, ["unit": ["id": "x"]], time: now)
            await #expect(throws: InvalidEventError.self) { try await db.apply(broken, with: handlers) }
        }
    }
}
