import Directory
import Domain
import EventFlow
import Foundation
import Postgres
import Synchronization
import Testing

@Suite(.enabled(if: DirectoryDatabase.isConfigured, "needs SJ_TEST_DATABASE_URL (scripts/test.sh)"))
struct DirectoryTests {
    func handlers(_ followUps: DirectoryHandlers.FollowUps = .init()) -> EventHandlers {
        var handlers = EventHandlers()
        DirectoryHandlers.register(into: &handlers, followUps: followUps)
        return handlers
    }

    @Test func everyUnitAndPersonTypeHasAHandler() {
        let types = Set(handlers().types)
        for type in EventType.published(on: Topic.registryPeople) { #expect(types.contains(type), "no handler for \(type)") }
        for type in [EventType.unitAdmitted, EventType.unitUpdated, EventType.liaisonChanged] { #expect(types.contains(type)) }
    }

    @Test func aUnitIsKeptWithItsDutiesRolesTopicsAndText() async throws {
        try await DirectoryDatabase.with { db in
            let member = UUID(), liaison = UUID()
            try await db.apply(Fixture.unitEvent(Fixture.unit(
                "women-federation", "县妇联",
                duties: [
                    .init(topics: ["family-education"], role: "lead", partners: ["education-bureau"], text: "负责会同教育部门办好家长学校"),
                    .init(topics: ["after-school-service"], role: "assisting", text: "配合做好课后服务"),
                ],
                member: member, liaison: liaison)), with: handlers())
            let unit = try #require(try await db.read { try await DirectoryStore.unit("women-federation", on: $0) })
            #expect(unit.name == "县妇联")
            #expect(unit.status == .active)
            #expect(unit.memberId == member)
            #expect(unit.liaisonId == liaison)
            #expect(unit.version == 1)
            #expect(unit.duties.map(\.id) == ["women-federation/1", "women-federation/2"])
            #expect(unit.duties[0].text == "负责会同教育部门办好家长学校")
            #expect(unit.duties[0].role == "lead")
            #expect(unit.duties[0].partnerUnitIds == ["education-bureau"])
            #expect(unit.duties[1].role == "assisting")
            #expect(unit.topics == ["after-school-service", "family-education"])
            #expect(try await db.read { try await DirectoryStore.unit("nobody", on: $0) } == nil)
        }
    }

    @Test func anOlderVersionNeverOverwritesANewerOneAndANewerReplacesTheDuties() async throws {
        try await DirectoryDatabase.with { db in
            let handlers = handlers()
            try await db.apply(Fixture.unitEvent(
                Fixture.unit("finance-bureau", "县财政局", duties: [.init(topics: ["funding"]), .init(topics: ["pricing"])], version: 2),
                type: EventType.unitUpdated), with: handlers)
            try await db.apply(Fixture.unitEvent(Fixture.unit("finance-bureau", "县财政局（旧）", version: 1)), with: handlers)
            try await db.apply(Fixture.unitEvent(Fixture.unit("finance-bureau", "县财政局（重放）", version: 2), type: EventType.unitUpdated), with: handlers)
            var unit = try #require(try await db.read { try await DirectoryStore.unit("finance-bureau", on: $0) })
            #expect(unit.name == "县财政局")
            #expect(unit.duties.count == 2)

            try await db.apply(Fixture.unitEvent(
                Fixture.unit("finance-bureau", "县财政局（更名）", duties: [.init(topics: ["funding"])], version: 3),
                type: EventType.unitUpdated), with: handlers)
            unit = try #require(try await db.read { try await DirectoryStore.unit("finance-bureau", on: $0) })
            #expect(unit.name == "县财政局（更名）")
            #expect(unit.duties.map(\.topics) == [["funding"]])

            let person = UUID()
            try await db.apply(Fixture.personEvent(
                Fixture.person(person, "赵六", unit: "finance-bureau", roles: ["member"], version: 2), type: EventType.personChanged),
                with: handlers)
            try await db.apply(Fixture.personEvent(Fixture.person(person, "赵六（旧）", unit: nil, roles: [], version: 1)), with: handlers)
            let stored = try #require(try await db.read { try await DirectoryStore.person(person, on: $0) })
            #expect(stored.name == "赵六")
            #expect(stored.roles == ["member"])
            #expect(stored.unitId == "finance-bureau")
        }
    }

    @Test func responsibleUnitsNameTheLeadsFirstAndLeaveRemovedUnitsOut() async throws {
        try await DirectoryDatabase.with { db in
            let handlers = handlers()
            // Published in the notice's order: the directory keeps it.
            try await db.apply(Fixture.unitEvent(Fixture.unit(
                "youth-league", "团县委", duties: [.init(topics: ["after-school-service"], role: "assisting")])), with: handlers)
            try await db.apply(Fixture.unitEvent(Fixture.unit(
                "education-bureau", "县教育局", duties: [.init(topics: ["after-school-service", "coordination"])])), with: handlers)
            try await db.apply(Fixture.unitEvent(Fixture.unit(
                "science-association", "县科协", duties: [.init(topics: ["after-school-service"], role: "assisting")])), with: handlers)
            try await db.apply(Fixture.unitEvent(Fixture.unit(
                "finance-bureau", "县财政局", duties: [.init(topics: ["after-school-service"])])), with: handlers)

            let responsible = try await db.read { try await DirectoryStore.responsibleUnits(for: .afterSchoolService, on: $0) }
            #expect(responsible.map(\.unitId) == ["education-bureau", "finance-bureau", "youth-league", "science-association"])
            #expect(responsible.map(\.role) == [.lead, .lead, .assisting, .assisting])
            #expect(responsible.first?.name == "县教育局")

            // The registry marks a unit removed: it keeps its row, but no new work.
            try await db.apply(Fixture.unitEvent(Fixture.unit(
                "finance-bureau", "县财政局", duties: [.init(topics: ["after-school-service"])], version: 2, status: "removed"),
                type: EventType.unitUpdated), with: handlers)
            let after = try await db.read { try await DirectoryStore.responsibleUnits(for: .afterSchoolService, on: $0) }
            #expect(after.map(\.unitId) == ["education-bureau", "youth-league", "science-association"])
            let active = try await db.read { try await DirectoryStore.activeUnits(on: $0) }
            #expect(active.map(\.id) == ["youth-league", "education-bureau", "science-association"])
            #expect(try await db.read { try await DirectoryStore.unit("finance-bureau", on: $0) }?.status == .removed)
            #expect(try await db.read { try await DirectoryStore.unitNames(["finance-bureau", "nobody"], on: $0) } == ["finance-bureau": "县财政局"])
        }
    }

    @Test func conveners_theOfficeAndAUnitsPeopleAreFoundByRole() async throws {
        try await DirectoryDatabase.with { db in
            let handlers = handlers()
            let convener = UUID(), office = UUID(), liaison = UUID(), newLiaison = UUID()
            try await db.apply(Fixture.personEvent(Fixture.person(convener, "王县长", unit: nil, roles: ["convener"], title: "副县长")), with: handlers)
            try await db.apply(Fixture.personEvent(Fixture.person(office, "李主任", unit: "education-bureau", roles: ["office", "liaison"])), with: handlers)
            try await db.apply(Fixture.unitEvent(Fixture.unit("education-bureau", "县教育局", liaison: office)), with: handlers)
            try await db.apply(Fixture.personEvent(Fixture.person(liaison, "周联络", unit: "education-bureau", roles: ["member"])), with: handlers)

            let conveners = try await db.read { try await DirectoryStore.conveners(on: $0) }
            #expect(conveners.map(\.id) == [convener])
            #expect(conveners.first?.title == "副县长")
            #expect(conveners.first?.unitId == nil)
            #expect(try await db.read { try await DirectoryStore.officePeople(on: $0) }.map(\.id) == [office])
            #expect(Set(try await db.read { try await DirectoryStore.people(inUnit: "education-bureau", on: $0) }.map(\.id)) == [office, liaison])

            // liaison.changed carries the new liaison: both are written.
            try await db.apply(Fixture.event(EventType.liaisonChanged, [
                "unit": Fixture.unit("education-bureau", "县教育局", liaison: newLiaison, version: 2),
                "liaison": Fixture.person(newLiaison, "吴联络", unit: "education-bureau", roles: ["liaison"]),
                "previousLiaisonId": office.uuidString,
            ]), with: handlers)
            #expect(try await db.read { try await DirectoryStore.unit("education-bureau", on: $0) }?.liaisonId == newLiaison)
            #expect(try await db.read { try await DirectoryStore.person(newLiaison, on: $0) }?.name == "吴联络")
        }
    }

    @Test func aFollowUpRunsInTheSameTransactionAndRollsBackWithIt() async throws {
        try await DirectoryDatabase.with { db in
            let seen = Mutex<[String]>([])
            let failing = handlers(.init(unitAdmitted: { unit, _, _ in
                seen.withLock { $0.append(unit.id) }
                throw DirectoryError("follow-up failed")
            }))
            await #expect(throws: DirectoryError.self) {
                try await db.apply(Fixture.unitEvent(Fixture.unit("court", "县法院")), with: failing)
            }
            #expect(seen.withLock { $0 } == ["court"])
            // Nothing was written: the consumer will retry the whole event.
            #expect(try await db.read { try await DirectoryStore.unit("court", on: $0) } == nil)

            let working = handlers(.init(unitAdmitted: { unit, _, connection in
                let stored = try await DirectoryStore.unit(unit.id, on: connection)
                #expect(stored?.name == "县法院")
            }))
            try await db.apply(Fixture.unitEvent(Fixture.unit("court", "县法院")), with: working)
            #expect(try await db.read { try await DirectoryStore.unit("court", on: $0) } != nil)
        }
    }

    @Test func aPayloadOfTheWrongShapeIsInvalid() async throws {
        try await DirectoryDatabase.with { db in
            await #expect(throws: InvalidEventError.self) {
                try await db.apply(Fixture.event(EventType.unitAdmitted, ["unit": ["id": "x"]]), with: handlers())
            }
        }
    }

    /// The directory's tables come before the service's: a service migration may refer to them.
    @Test func theDirectoryIsMigratedBeforeTheServiceAndKeepsItsOwnHistory() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("directory-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("CREATE TABLE assignments (unit_id text NOT NULL REFERENCES directory.units (id));\n".utf8)
            .write(to: folder.appendingPathComponent("001_assignments.sql"))
        try await DirectoryDatabase.with(serviceMigrations: folder) { db in
            let versions = try await db.pool.query("SELECT version FROM directory.schema_migrations ORDER BY version")
                .map { try $0.decode(0, as: Int.self) }
            #expect(versions == [1])
            let service = try await db.pool.query("SELECT version FROM schema_migrations ORDER BY version")
                .map { try $0.decode(0, as: Int.self) }
            #expect(service == [1])
            // Again: nothing more to apply.
            #expect(try await DirectorySchema.migrate(db.pool, logger: DirectoryDatabase.logger).isEmpty)
        }
    }
}
