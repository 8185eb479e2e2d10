import Audit
import Domain
import EventFlow
import Foundation
import Logging
import Postgres
import ServiceKit

/// Loads the notice's facts (Seed/mechanism.json) into an empty registry,
/// and any seeded unit a later seed file adds: each unit once, with its
/// `unit.admitted` event, so consumers learn the seeded units like any other.
/// A seeded unit whose duties the seed file now words differently (a
/// corrected reading of the notice, roles and partners added) takes the
/// file's duties, with a `unit.updated` event; units admitted by a proposal
/// are never touched. Running it again changes nothing.
enum Seeder {
    /// Seeding is the system's act, not a person's; its audit entries say
    /// when it seeded (`now`), while the units keep the notice's date.
    static let actor = AuditActor.system("registry.seed")

    static func run(_ seed: MechanismSeed, pool: PostgresPool, at now: Date, logger: Logger) async throws {
        let units = try seed.memberUnits()
        let positions = seed.positions()
        let (added, corrected) = try await pool.transaction { connection -> (Int, Int) in
            // One seeder at a time when replicas start together.
            try await connection.execute("SELECT pg_advisory_xact_lock(7300201)")
            var added = 0, corrected = 0
            for unit in units {
                guard var stored = try await UnitStore.lock(unit.id, on: connection) else {
                    try await UnitStore.insert(unit, on: connection)
                    try await Journal.record(
                        try RegistryEvent.unit(EventType.unitAdmitted, unit), by: Self.actor, at: now, on: connection)
                    added += 1
                    continue
                }
                guard stored.admission.proposalId == nil, stored.duties != unit.duties else { continue }
                stored.duties = unit.duties
                stored.version += 1
                stored.updatedAt = now
                try await UnitStore.update(stored, on: connection)
                try await Journal.record(
                    try RegistryEvent.unit(EventType.unitUpdated, stored), by: Self.actor, at: now, on: connection)
                corrected += 1
            }
            for position in positions {
                try await PositionStore.upsertIfMissing(position, on: connection)
            }
            return (added, corrected)
        }
        logger.info("seed applied", metadata: [
            "units_added": "\(added)", "units_duties_corrected": "\(corrected)", "units": "\(units.count)",
        ])
    }
}
