import Domain
import EventFlow
import Foundation
import Postgres

/// SQL for the service's read model of the registry: units with the topics
/// of their duties (and the role in each), and training institutions with
/// their responsible units. Written from the registry's events only.
enum RegistryStore {
    struct UnitTopic: Sendable {
        var topic: DutyTopic
        var role: DutyRole
    }

    /// Replaces a unit's name and duty topics unless the stored version is newer.
    static func upsertUnit(id: String, name: String, version: Int, topics: [UnitTopic], on connection: PostgresConnection) async throws {
        let rows = try await connection.query("""
            INSERT INTO registry_units (id, name, version) VALUES (\(id), \(name), \(version))
            ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, version = EXCLUDED.version
            WHERE registry_units.version <= EXCLUDED.version
            RETURNING id
            """)
        guard rows.first != nil else { return }  // an older state: keep the newer one
        try await connection.execute("DELETE FROM registry_unit_topics WHERE unit_id = \(id)")
        var seen = Set<String>()
        let unique = topics.filter { seen.insert($0.topic.rawValue + "/" + $0.role.rawValue).inserted }
        guard !unique.isEmpty else { return }
        try await connection.execute("""
            INSERT INTO registry_unit_topics (unit_id, topic, role)
            SELECT \(id), t, r FROM unnest(\(unique.map(\.topic.rawValue)), \(unique.map(\.role.rawValue))) AS x(t, r)
            """)
    }

    static func upsertInstitution(_ institution: RegistryFacts.Institution, version: Int, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            INSERT INTO registry_institutions (id, credit_code, name, state, version)
            VALUES (\(institution.id), \(institution.creditCode), \(institution.name), \(StoredJSON(institution)), \(version))
            ON CONFLICT (id) DO UPDATE SET credit_code = EXCLUDED.credit_code, name = EXCLUDED.name,
                state = EXCLUDED.state, version = EXCLUDED.version
            WHERE registry_institutions.version <= EXCLUDED.version
            """)
    }

    /// What matching a signal needs, in one round trip: the institution
    /// named (by credit code first, else by exact name), the holders of
    /// `topics`, and the names of those units and of `unitIds`.
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
        let rows = try await connection.query("""
            SELECT t.unit_id, t.topic, t.role, u.name FROM registry_unit_topics t JOIN registry_units u ON u.id = t.unit_id
            WHERE t.topic = ANY(\(topics.map(\.rawValue)))
            ORDER BY t.topic, t.role DESC, t.unit_id
            """)
        var holders: [RegistryFacts.TopicHolder] = []
        var names: [String: String] = [:]
        for row in rows {
            let (unitId, topic, role, name) = try row.decode((String, String, String, String).self)
            names[unitId] = name
            guard let topic = DutyTopic(rawValue: topic), let role = DutyRole(rawValue: role) else { continue }
            holders.append(.init(unitId: unitId, topic: topic, role: role))
        }
        let wanted = unitIds + (institution.map { $0.supervising + $0.approving + $0.registering } ?? [])
        let missing = wanted.filter { names[$0] == nil }
        if !missing.isEmpty {
            for row in try await connection.query("SELECT id, name FROM registry_units WHERE id = ANY(\(missing))") {
                let (id, name) = try row.decode((String, String).self)
                names[id] = name
            }
        }
        return RegistryFacts(institution: institution, holders: holders, unitNames: names)
    }
}
