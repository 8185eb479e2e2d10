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
/// Running it again changes nothing.
enum Seeder {
    static func run(_ seed: MechanismSeed, pool: PostgresPool, logger: Logger) async throws {
        let units = try seed.memberUnits()
        let positions = seed.positions()
        let added = try await pool.transaction { connection -> Int in
            // One seeder at a time when replicas start together.
            try await connection.execute("SELECT pg_advisory_xact_lock(7300201)")
            var added = 0
            for unit in units where try await UnitStore.lock(unit.id, on: connection) == nil {
                try await UnitStore.insert(unit, on: connection)
                try await Journal.record(
                    try RegistryEvent.unit(EventType.unitAdmitted, unit), by: .system("registry.seed"), at: unit.updatedAt,
                    on: connection)
                added += 1
            }
            for position in positions {
                try await PositionStore.upsertIfMissing(position, on: connection)
            }
            return added
        }
        logger.info("seed applied", metadata: ["units_added": "\(added)", "units": "\(units.count)"])
    }
}
