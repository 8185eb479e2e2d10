import Directory
import Domain
import EventFlow
import Foundation
import Postgres

/// SQL for the service's read model of the registry's training institutions
/// (with their responsible units), written from the registry's events only;
/// units and the duty matrix are the shared directory's (`DirectoryStore`).
enum RegistryStore {
    static func upsertInstitution(_ institution: RegistryFacts.Institution, version: Int, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            INSERT INTO registry_institutions (id, credit_code, name, state, version)
            VALUES (\(institution.id), \(institution.creditCode), \(institution.name), \(StoredJSON(institution)), \(version))
            ON CONFLICT (id) DO UPDATE SET credit_code = EXCLUDED.credit_code, name = EXCLUDED.name,
                state = EXCLUDED.state, version = EXCLUDED.version
            WHERE registry_institutions.version <= EXCLUDED.version
            """)
    }

    /// What matching a signal needs: the institution
    /// named (by credit code first, else by exact name), the holders of
    /// `topics` (the directory's, leads first), and the names of those units and of `unitIds`.
    static func facts(
        creditCode: String?, institutionName: String?, topics: [DutyTopic], unitIds: [String], on connection: PostgresConnection
    ) async throws -> RegistryFacts {
        var institution: RegistryFacts.Institution?
        if creditCode != nil || institutionName != nil {
            institution = try await connection.query("""
                SELECT state FROM registry_institutions
                WHERE credit_code = \(creditCode ?? "") OR (\(creditCode == nil) AND name = \(institutionName ?? ""))
                ORDER BY (credit_code = \(creditCode ?? "")) DESC, version DESC LIMIT 1
                """).jsonValue(RegistryFacts.Institution.self)
        }
        var holders: [RegistryFacts.TopicHolder] = []
        var names: [String: String] = [:]
        for topic in topics {
            for unit in try await DirectoryStore.responsibleUnits(for: topic, on: connection) {
                holders.append(.init(unitId: unit.unitId, topic: topic, role: unit.role))
                names[unit.unitId] = unit.name
            }
        }
        let wanted = unitIds + (institution.map { $0.supervising + $0.approving + $0.registering } ?? [])
        let missing = wanted.filter { names[$0] == nil }
        names.merge(try await DirectoryStore.unitNames(missing, on: connection)) { $1 }
        return RegistryFacts(institution: institution, holders: holders, unitNames: names)
    }
}
