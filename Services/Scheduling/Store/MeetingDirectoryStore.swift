import Directory
import Domain
import Foundation
import Postgres

/// The meetings part's view of the directory (Shared/Directory: the
/// registry's units and people as this service learns them from the
/// registry's topics): active units only, so a removed unit is no longer
/// expected at a new sitting.
enum MeetingDirectoryStore {
    static func directory(_ pool: PostgresPool) -> MeetingDirectory {
        MeetingDirectory(
            activeUnits: {
                try await pool.withConnection { connection in
                    try await DirectoryStore.activeUnits(on: connection).map {
                        MeetingDirectory.Unit(id: $0.id, name: $0.name, memberId: $0.memberId, liaisonId: $0.liaisonId)
                    }
                }
            },
            person: { id in
                try await pool.withConnection { connection in
                    try await DirectoryStore.person(id, on: connection).map {
                        MeetingDirectory.Person(id: $0.id, name: $0.name, unitId: $0.unitId, isConvener: $0.holds(.convener))
                    }
                }
            })
    }
}
