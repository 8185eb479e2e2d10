import Domain
import EventFlow
import Foundation
import Postgres
import ServiceKit

/// SQL for member units and the duty matrix.
enum UnitStore {
    /// Locks and writes a member unit for `PostgresPool.change`.
    static let table = AggregateTable<MemberUnit, String>(
        name: "member unit", find: { try await find($0, $1) },
        lock: { try await lock($0, on: $1) }, update: { try await update($0, on: $1) })

    static func all(_ pool: PostgresPool) async throws -> [MemberUnit] {
        try await pool.withConnection { try await all(on: $0) }
    }

    /// Inside a transaction: on its own connection, never a second one from the pool.
    static func all(on connection: PostgresConnection) async throws -> [MemberUnit] {
        try await connection.query("SELECT state FROM units ORDER BY ordinal").jsonValues()
    }

    static func find(_ id: String, _ pool: PostgresPool) async throws -> MemberUnit? {
        try await pool.query("SELECT state FROM units WHERE id = \(id)").jsonValue()
    }

    /// Locks the row for the rest of the transaction.
    static func lock(_ id: String, on connection: PostgresConnection) async throws -> MemberUnit? {
        try await connection.query("SELECT state FROM units WHERE id = \(id) FOR UPDATE").jsonValue()
    }

    /// Units with at least one duty tagged `topic` (the GIN index answers it),
    /// in the order they joined; `Responsibility` puts the leads first.
    static func responsible(for topic: DutyTopic, _ pool: PostgresPool) async throws -> [MemberUnit] {
        let pattern = StoredJSON([["topics": [topic.rawValue]]])
        return try await pool.query("""
            SELECT state FROM units WHERE state -> 'duties' @> \(pattern) ORDER BY ordinal
            """).jsonValues()
    }

    /// The unit whose name or alias is `name`, if any.
    static func owner(ofName name: String, on connection: PostgresConnection) async throws -> String? {
        try await connection.query("SELECT unit_id FROM unit_names WHERE name = \(name)").first?.decode(0, as: String.self)
    }

    static func insert(_ unit: MemberUnit, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            INSERT INTO units (id, name, state, version, updated_at)
            VALUES (\(unit.id), \(unit.name), \(StoredJSON(unit)), \(unit.version), \(unit.updatedAt))
            """)
        for name in [unit.name] + unit.aliases {
            try await connection.execute("INSERT INTO unit_names (name, unit_id) VALUES (\(name), \(unit.id))")
        }
    }

    static func update(_ unit: MemberUnit, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            UPDATE units SET state = \(StoredJSON(unit)), version = \(unit.version), updated_at = \(unit.updatedAt)
            WHERE id = \(unit.id)
            """)
    }
}

/// SQL for the mechanism's fixed positions (conveners, office).
enum PositionStore {
    static func all(_ pool: PostgresPool) async throws -> [MechanismPosition] {
        try await pool.query("SELECT state FROM positions ORDER BY id").jsonValues()
    }

    static func upsertIfMissing(_ position: MechanismPosition, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            INSERT INTO positions (id, state) VALUES (\(position.id), \(StoredJSON(position)))
            ON CONFLICT (id) DO NOTHING
            """)
    }
}
