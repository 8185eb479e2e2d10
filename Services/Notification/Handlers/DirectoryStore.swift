import EventFlow
import Foundation
import Postgres

/// The directory's writes: upserts that keep the newest state. A row is
/// replaced only by a strictly newer registry `version`, so a replayed or
/// late event never rolls it back, and the same event twice changes nothing.
enum DirectoryStore {
    /// True when the row was written (new, or newer than the stored one).
    @discardableResult
    static func upsert(_ unit: DirectoryUnit, on connection: PostgresConnection) async throws -> Bool {
        let state = String(decoding: try EventJSON.encoder.encode(unit.state), as: UTF8.self)
        return try await connection.execute("""
            INSERT INTO directory_units (id, name, member_id, liaison_id, topics, state, version)
            VALUES (\(unit.id), \(unit.name), \(unit.memberID), \(unit.liaisonID), \(unit.topics), \(state)::jsonb, \(unit.version))
            ON CONFLICT (id) DO UPDATE SET
                name = EXCLUDED.name, member_id = EXCLUDED.member_id, liaison_id = EXCLUDED.liaison_id,
                topics = EXCLUDED.topics, state = EXCLUDED.state, version = EXCLUDED.version
            WHERE directory_units.version < EXCLUDED.version
            """) > 0
    }

    @discardableResult
    static func upsert(_ person: DirectoryPerson, on connection: PostgresConnection) async throws -> Bool {
        let state = String(decoding: try EventJSON.encoder.encode(person), as: UTF8.self)
        return try await connection.execute("""
            INSERT INTO directory_people (id, unit_id, name, roles, state, version)
            VALUES (\(person.id), \(person.unitID), \(person.name), \(person.roles), \(state)::jsonb, \(person.version))
            ON CONFLICT (id) DO UPDATE SET
                unit_id = EXCLUDED.unit_id, name = EXCLUDED.name, roles = EXCLUDED.roles,
                state = EXCLUDED.state, version = EXCLUDED.version
            WHERE directory_people.version < EXCLUDED.version
            """) > 0
    }

    /// Unit id → name, for the templates' `|unit` filter.
    static func unitNames(_ ids: [String], on connection: PostgresConnection) async throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        var names: [String: String] = [:]
        for row in try await connection.query("SELECT id, name FROM directory_units WHERE id = ANY(\(ids))") {
            let (id, name) = try row.decode((String, String).self)
            names[id] = name
        }
        return names
    }
}
