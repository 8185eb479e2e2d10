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

    /// What matching a batch of signals needs, read once: the institutions
    /// named (by credit code, and by exact name for those named without one),
    /// the holders of `topics` (the directory's, leads first) and the names of
    /// those units, of `unitIds` and of the institutions' units.
    static func facts(
        creditCodes: [String], institutionNames: [String], topics: [DutyTopic], unitIds: [String], on connection: PostgresConnection
    ) async throws -> MatchingFacts {
        var facts = MatchingFacts()
        if !creditCodes.isEmpty || !institutionNames.isEmpty {
            let institutions = try await connection.query("""
                SELECT state FROM registry_institutions
                WHERE credit_code = ANY(\(creditCodes)) OR name = ANY(\(institutionNames))
                ORDER BY version
                """).jsonValues(RegistryFacts.Institution.self)
            // Ascending versions: the newest of a code or name is the one kept.
            for institution in institutions {
                facts.byCreditCode[institution.creditCode] = institution
                facts.byName[institution.name] = institution
            }
        }
        for (topic, units) in try await DirectoryStore.responsibleUnits(for: topics, on: connection) {
            facts.holders[topic] = units.map { RegistryFacts.TopicHolder(unitId: $0.unitId, topic: topic, role: $0.role) }
            for unit in units { facts.unitNames[unit.unitId] = unit.name }
        }
        var wanted = Set(unitIds)
        for institution in Array(facts.byCreditCode.values) + Array(facts.byName.values) {
            wanted.formUnion(institution.supervising)
            wanted.formUnion(institution.approving)
            wanted.formUnion(institution.registering)
        }
        let missing = wanted.filter { facts.unitNames[$0] == nil }
        facts.unitNames.merge(try await DirectoryStore.unitNames(missing.sorted(), on: connection)) { $1 }
        return facts
    }
}
