import Foundation
import Postgres

/// The one way a service stores JSON in PostgreSQL: a `jsonb` column written
/// and read with the coder events use, so a row's `state`, the API's JSON and
/// the event's payload are the same text.
///
/// ```swift
/// try await connection.execute("UPDATE units SET state = \(StoredJSON(unit)) WHERE id = \(unit.id)")
/// let unit = try await pool.query("SELECT state FROM units WHERE id = \(id)").first?.json(MemberUnit.self)
/// ```
public typealias StoredJSON<Value: Codable & Sendable> = PostgresJSON<Value, EventJSON>

extension PostgresRow {
    /// The JSON value of `column` (the first by default), decoded as `type`.
    public func json<Value: Codable & Sendable>(_ type: Value.Type = Value.self, column: Int = 0) throws -> Value {
        try decode(column, as: StoredJSON<Value>.self).value
    }
}

extension PostgresRows {
    /// The first column of every row, decoded as `type`: `SELECT state FROM …`.
    public func jsonValues<Value: Codable & Sendable>(_ type: Value.Type = Value.self) throws -> [Value] {
        try map { try $0.json(Value.self) }
    }

    /// The first row's first column, if there is a row.
    public func jsonValue<Value: Codable & Sendable>(_ type: Value.Type = Value.self) throws -> Value? {
        try first.map { try $0.json(Value.self) }
    }
}
