import Foundation
import Postgres

/// SQL for member units and the duty matrix.
enum UnitStore {
    static func all(_ pool: PostgresPool) async throws -> [MemberUnit] {
        try await pool.withConnection { try await all(on: $0) }
    }

    /// Inside a transaction: on its own connection, never a second one from the pool.
    static func all(on connection: PostgresConnection) async throws -> [MemberUnit] {
        try await connection.query("SELECT state::text FROM units ORDER BY (state->'admission'->>'admittedAt'), id").states()
    }

    static func find(_ id: String, _ pool: PostgresPool) async throws -> MemberUnit? {
        try await pool.query("SELECT state::text FROM units WHERE id = \(id)").state()
    }

    /// Locks the row for the rest of the transaction.
    static func lock(_ id: String, on connection: PostgresConnection) async throws -> MemberUnit? {
        try await connection.query("SELECT state::text FROM units WHERE id = \(id) FOR UPDATE").state()
    }

    /// Units with at least one duty tagged `topic` (the GIN index answers it).
    static func responsible(for topic: DutyTopic, _ pool: PostgresPool) async throws -> [MemberUnit] {
        let pattern = try StateJSON.encode([["topics": [topic.rawValue]]])
        return try await pool.query("""
            SELECT state::text FROM units WHERE state -> 'duties' @> \(pattern)::jsonb
            ORDER BY (state->'admission'->>'admittedAt'), id
            """).states()
    }

    /// The unit whose name or alias is `name`, if any.
    static func owner(ofName name: String, on connection: PostgresConnection) async throws -> String? {
        try await connection.query("SELECT unit_id FROM unit_names WHERE name = \(name)").first?.decode(0, as: String.self)
    }

    static func insert(_ unit: MemberUnit, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            INSERT INTO units (id, name, state, version, updated_at)
            VALUES (\(unit.id), \(unit.name), \(try StateJSON.encode(unit))::jsonb, \(unit.version), \(unit.updatedAt))
            """)
        for name in [unit.name] + unit.aliases {
            try await connection.execute("INSERT INTO unit_names (name, unit_id) VALUES (\(name), \(unit.id))")
        }
    }

    static func update(_ unit: MemberUnit, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            UPDATE units SET state = \(try StateJSON.encode(unit))::jsonb, version = \(unit.version), updated_at = \(unit.updatedAt)
            WHERE id = \(unit.id)
            """)
    }
}

/// SQL for the mechanism's fixed positions (conveners, office).
enum PositionStore {
    static func all(_ pool: PostgresPool) async throws -> [MechanismPosition] {
        try await pool.query("SELECT state::text FROM positions ORDER BY id").states()
    }

    static func upsertIfMissing(_ position: MechanismPosition, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            INSERT INTO positions (id, state) VALUES (\(position.id), \(try StateJSON.encode(position))::jsonb)
            ON CONFLICT (id) DO NOTHING
            """)
    }
}
