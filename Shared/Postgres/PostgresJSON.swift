import Foundation

/// The JSON conventions a `PostgresJSON` column is written and read with.
/// The Postgres layer knows no conventions of its own; EventFlow's
/// `EventJSON` is the project's (dates in RFC 3339 with milliseconds), so
/// a stored state, an API body and an event payload read the same.
public protocol PostgresJSONCoding: Sendable {
    static var encoder: JSONEncoder { get }
    static var decoder: JSONDecoder { get }
}

/// Any Codable value stored as `jsonb`: `\(PostgresJSON<_, C>(value))` binds
/// it, `row.decode(0, as: PostgresJSON<Value, C>.self).value` reads it back.
/// Services use EventFlow's `StoredJSON<Value>` (= `PostgresJSON<Value, EventJSON>`).
public struct PostgresJSON<Value: Codable & Sendable, Coding: PostgresJSONCoding>: PostgresEncodable, PostgresDecodable, Sendable {
    public var value: Value

    public init(_ value: Value) { self.value = value }

    public static var postgresType: PostgresType { .jsonb }

    public func encode(into buffer: inout PostgresEncodingBuffer) throws {
        buffer.append(contentsOf: try Coding.encoder.encode(value))
    }

    public init(postgresText bytes: ArraySlice<UInt8>, type: PostgresType) throws {
        value = try Coding.decoder.decode(Value.self, from: Data(bytes))
    }
}

extension PostgresJSON: Equatable where Value: Equatable {}
