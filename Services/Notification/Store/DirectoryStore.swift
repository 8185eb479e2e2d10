import Domain
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
                return try await connection.execute("""
            INSERT INTO directory_units (id, name, member_id, liaison_id, topics, state, version)
            VALUES (\(unit.id), \(unit.name), \(unit.memberId), \(unit.liaisonId), \(unit.topics), \(StoredJSON(unit.state)), \(unit.version))
            ON CONFLICT (id) DO UPDATE SET
                name = EXCLUDED.name, member_id = EXCLUDED.member_id, liaison_id = EXCLUDED.liaison_id,
                topics = EXCLUDED.topics, state = EXCLUDED.state, version = EXCLUDED.version
            WHERE directory_units.version < EXCLUDED.version
            """) > 0
    }

    @discardableResult
    static func upsert(_ person: DirectoryPerson, on connection: PostgresConnection) async throws -> Bool {
                return try await connection.execute("""
            INSERT INTO directory_people (id, unit_id, name, roles, state, version)
            VALUES (\(person.id), \(person.unitId), \(person.name), \(person.roles), \(StoredJSON(person)), \(person.version))
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
        let query: PostgresQuery = "SELECT id, name FROM directory_units WHERE id = ANY(\(ids))"
        for row in try await connection.query(query.prepared) {
            let (id, name) = try row.decode((String, String).self)
            names[id] = name
        }
        return names
    }

    /// Person id → name, for the templates' `|person` filter.
    static func personNames(_ ids: [UUID], on connection: PostgresConnection) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        var names: [UUID: String] = [:]
        let texts = ids.map { $0.uuidString.lowercased() }
        for row in try await connection.query("SELECT id, name FROM directory_people WHERE id = ANY(\(texts)::uuid[])") {
            let (id, name) = try row.decode((UUID, String).self)
            names[id] = name
        }
        return names
    }

    // MARK: - Reads for routing and escalation

    /// A person as routing needs them.
    struct Entry: Sendable, Equatable {
        var id: UUID
        var name: String
        var unitId: String?
    }

    static func person(_ id: UUID, on connection: PostgresConnection) async throws -> Entry? {
        try await connection.query("SELECT id, name, unit_id FROM directory_people WHERE id = \(id)").first.map(entry)
    }

    /// Everyone holding `role`, by name.
    static func people(withRole role: PersonRole, on connection: PostgresConnection) async throws -> [Entry] {
        try await connection.query("""
            SELECT id, name, unit_id FROM directory_people WHERE \(role.rawValue) = ANY(roles) ORDER BY name, id
            """).map(entry)
    }

    /// The units one of whose duties has one of `topics`, by id.
    static func units(withAnyOf topics: [String], on connection: PostgresConnection) async throws -> [String] {
        guard !topics.isEmpty else { return [] }
        return try await connection.query("SELECT id FROM directory_units WHERE topics && \(topics) ORDER BY id")
            .map { try $0.decode(0, as: String.self) }
    }

    /// Unit id → the person holding `position` there, for those of `units`
    /// the directory knows and whose post is filled.
    static func holders(
        of position: UnitPosition, in units: [String], on connection: PostgresConnection
    ) async throws -> [String: Entry] {
        guard !units.isEmpty else { return [:] }
        let column = position == .liaison ? "liaison_id" : "member_id"
        // Prepared: asked once or more per consumer batch, and planning it costs more than running it.
        let query: PostgresQuery = """
            SELECT u.id, p.id, p.name FROM directory_units u
            JOIN directory_people p ON p.id = u.\(unsafeRaw: column)
            WHERE u.id = ANY(\(units))
            """
        let rows = try await connection.query(query.prepared)
        var holders: [String: Entry] = [:]
        for row in rows {
            let (unit, person, name) = try row.decode((String, UUID, String).self)
            holders[unit] = Entry(id: person, name: name, unitId: unit)
        }
        return holders
    }

    /// A unit's name, if the directory knows the unit.
    static func unitName(_ id: String, on connection: PostgresConnection) async throws -> String? {
        try await connection.query("SELECT name FROM directory_units WHERE id = \(id)").first?.decode(0, as: String.self)
    }

    private static func entry(_ row: PostgresRow) throws -> Entry {
        let (id, name, unit) = try row.decode((UUID, String, String?).self)
        return Entry(id: id, name: name, unitId: unit)
    }
}
