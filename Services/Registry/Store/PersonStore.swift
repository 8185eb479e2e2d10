import Foundation
import Postgres

/// SQL for people.
enum PersonStore {
    static func list(unitID: String?, role: PersonRole?, _ pool: PostgresPool) async throws -> [Person] {
        var query: PostgresQuery = "SELECT state::text FROM people WHERE true"
        if let unitID { query.append(" AND unit_id = \(unitID)") }
        if let role { query.append(" AND \(role.rawValue) = ANY(roles)") }
        query.append(" ORDER BY unit_id NULLS FIRST, name, id")
        return try await pool.query(query).states()
    }

    static func find(_ id: UUID, _ pool: PostgresPool) async throws -> Person? {
        try await pool.query("SELECT state::text FROM people WHERE id = \(id)").state()
    }

    static func lock(_ id: UUID, on connection: PostgresConnection) async throws -> Person? {
        try await connection.query("SELECT state::text FROM people WHERE id = \(id) FOR UPDATE").state()
    }

    static func insert(_ person: Person, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            INSERT INTO people (id, unit_id, name, roles, state, version, updated_at)
            VALUES (\(person.id), \(person.unitID), \(person.name), \(person.roles.map(\.rawValue)),
                    \(try StateJSON.encode(person))::jsonb, \(person.version), \(person.updatedAt))
            """)
    }

    static func update(_ person: Person, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            UPDATE people SET unit_id = \(person.unitID), name = \(person.name), roles = \(person.roles.map(\.rawValue)),
                state = \(try StateJSON.encode(person))::jsonb, version = \(person.version), updated_at = \(person.updatedAt)
            WHERE id = \(person.id)
            """)
    }
}
