import Foundation

/// Any Codable value stored as `jsonb`: `\(PostgresJSON(payload))` binds it,
/// `row.decode(0, as: PostgresJSON<Payload>.self).value` reads it back.
public struct PostgresJSON<Value: Codable & Sendable>: PostgresEncodable, PostgresDecodable, Sendable {
    public var value: Value

    public init(_ value: Value) { self.value = value }

    public static var postgresType: PostgresType { .jsonb }

    public func encode(into buffer: inout PostgresEncodingBuffer) throws {
        buffer.append(contentsOf: try JSONEncoder().encode(value))
    }

    public init(postgresText bytes: ArraySlice<UInt8>, type: PostgresType) throws {
        value = try JSONDecoder().decode(Value.self, from: Data(bytes))
    }
}

extension PostgresJSON: Equatable where Value: Equatable {}
