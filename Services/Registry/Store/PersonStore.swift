import Domain
import EventFlow
import Foundation
import Postgres
import ServiceKit

/// SQL for people.
enum PersonStore {
    /// Locks and writes a person for `PostgresPool.change`.
    static let table = AggregateTable<Person, UUID>(
        name: "person", find: { try await find($0, $1) },
        lock: { try await lock($0, on: $1) }, update: { try await update($0, on: $1) })

    static func list(unitId: String?, role: PersonRole?, _ pool: PostgresPool) async throws -> [Person] {
        var query: PostgresQuery = "SELECT state FROM people WHERE true"
        if let unitId { query.append(" AND unit_id = \(unitId)") }
        if let role { query.append(" AND \(role.rawValue) = ANY(roles)") }
        query.append(" ORDER BY unit_id NULLS FIRST, name, id")
        return try await pool.query(query).jsonValues()
    }

    static func find(_ id: UUID, _ pool: PostgresPool) async throws -> Person? {
        try await pool.query("SELECT state FROM people WHERE id = \(id)").jsonValue()
    }

    static func lock(_ id: UUID, on connection: PostgresConnection) async throws -> Person? {
        try await connection.query("SELECT state FROM people WHERE id = \(id) FOR UPDATE").jsonValue()
    }

    static func insert(_ person: Person, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            INSERT INTO people (id, unit_id, name, roles, state, version, updated_at)
            VALUES (\(person.id), \(person.unitId), \(person.name), \(person.roles.map(\.rawValue)),
                    \(StoredJSON(person)), \(person.version), \(person.updatedAt))
            """)
    }

    static func update(_ person: Person, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            UPDATE people SET unit_id = \(person.unitId), name = \(person.name), roles = \(person.roles.map(\.rawValue)),
                state = \(StoredJSON(person)), version = \(person.version), updated_at = \(person.updatedAt)
            WHERE id = \(person.id)
            """)
    }
}
