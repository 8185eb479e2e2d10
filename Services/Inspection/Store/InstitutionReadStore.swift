import Domain
import EventFlow
import Foundation
import Postgres

/// The training institutions the inspection service knows (its read model
/// of the registry, `registry_institutions`): the subjects of an
/// institution campaign.
enum InstitutionReadStore {
    static func institution(_ id: UUID, on connection: PostgresConnection) async throws -> RegistryFacts.Institution? {
        try await connection.query("SELECT state FROM registry_institutions WHERE id = \(id)").jsonValue()
    }

    static func institutions(_ ids: [UUID], on connection: PostgresConnection) async throws -> [RegistryFacts.Institution] {
        guard !ids.isEmpty else { return [] }
        return try await connection.query("""
            SELECT state FROM registry_institutions WHERE id = ANY(\(ids.map { $0.uuidString.lowercased() })::uuid[]) ORDER BY name, id
            """).jsonValues(RegistryFacts.Institution.self)
    }

    /// Every institution, by name.
    static func all(on connection: PostgresConnection) async throws -> [RegistryFacts.Institution] {
        try await connection.query("SELECT state FROM registry_institutions ORDER BY name, id").jsonValues(RegistryFacts.Institution.self)
    }
}
