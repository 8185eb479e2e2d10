import Domain
import Foundation
import Postgres
import Testing

@testable import Registry

/// The seeder against a live registry's database.
@Suite(.serialized) struct SeederTests {
    /// A registry seeded by an older seed file (县妇联's duty without its role
    /// or partner, 县教育局 without the items derived from other units'
    /// sentences) takes the current file's duties, once, with `unit.updated`.
    @Test func seededUnitsTakeTheSeedsCorrectedDutiesOnce() async throws {
        let registry = try await RegistryProcess.start()
        defer { registry.kill() }
        let seed = try MechanismSeed.bundled()
        let seeded = try seed.memberUnits()
        func stored(_ id: String) async throws -> MemberUnit { try #require(try await UnitStore.find(id, registry.pool)) }
        func updates() async throws -> [String] {
            try await registry.pool.query("""
                SELECT aggregateid FROM outbox WHERE type = \(EventType.unitUpdated) ORDER BY seq
                """).map { try $0.decode(0, as: String.self) }
        }
        #expect(try await stored("womens-federation").duties == seeded.first { $0.id == "womens-federation" }?.duties)

        var women = try await stored("womens-federation")
        women.duties = women.duties.map { Duty(id: $0.id, text: $0.text, topics: $0.topics, sharedKey: nil, sharedWith: []) }
        var education = try await stored("education-bureau")
        education.duties.removeAll { !$0.isOwn }
        for unit in [women, education] { try await registry.pool.withConnection { try await UnitStore.update(unit, on: $0) } }

        let later = Date(timeIntervalSince1970: 1_790_000_000)
        try await Seeder.run(seed, pool: registry.pool, at: later, logger: RegistryProcess.logger)
        for id in ["womens-federation", "education-bureau"] {
            let unit = try await stored(id)
            #expect(unit.duties == seeded.first { $0.id == id }?.duties, "\(id)")
            #expect(unit.version == 2 && unit.updatedAt == later, "\(id)")
        }
        #expect(try await updates() == ["education-bureau", "womens-federation"])

        // Running it again changes nothing.
        try await Seeder.run(seed, pool: registry.pool, at: later.addingTimeInterval(60), logger: RegistryProcess.logger)
        #expect(try await stored("womens-federation").version == 2)
        #expect(try await updates().count == 2)
        await registry.stop()
    }
}
