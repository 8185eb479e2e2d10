import Foundation

/// A Swift value that can be bound as a query parameter.
/// Values are sent in text format with an explicit type OID (bytea: binary).
public protocol PostgresEncodable: Sendable {
    static var postgresType: PostgresType { get }
    static var postgresFormat: PostgresFormat { get }
    /// True only for `Optional.none`: the parameter is sent as SQL NULL.
    var isPostgresNull: Bool { get }
    func encode(into buffer: inout PostgresEncodingBuffer) throws
}

extension PostgresEncodable {
    public static var postgresFormat: PostgresFormat { .text }
    public var isPostgresNull: Bool { false }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public static var postgresType: PostgresType { Wrapped.postgresType }
    public static var postgresFormat: PostgresFormat { Wrapped.postgresFormat }
    public var isPostgresNull: Bool { self == nil }
    public func encode(into buffer: inout PostgresEncodingBuffer) throws {
        if let value = self { try value.encode(into: &buffer) }
    }
}

extension Int: PostgresEncodable {
    public static var postgresType: PostgresType { .int8 }
    public func encode(into buffer: inout PostgresEncodingBuffer) { buffer.append(String(self)) }
}

extension Int64: PostgresEncodable {
    public static var postgresType: PostgresType { .int8 }
    public func encode(into buffer: inout PostgresEncodingBuffer) { buffer.append(String(self)) }
}

extension Int32: PostgresEncodable {
    public static var postgresType: PostgresType { .int4 }
    public func encode(into buffer: inout PostgresEncodingBuffer) { buffer.append(String(self)) }
}

extension Int16: PostgresEncodable {
    public static var postgresType: PostgresType { .int2 }
    public func encode(into buffer: inout PostgresEncodingBuffer) { buffer.append(String(self)) }
}

extension String: PostgresEncodable {
    public static var postgresType: PostgresType { .text }
    public func encode(into buffer: inout PostgresEncodingBuffer) { buffer.append(self) }
}

extension Substring: PostgresEncodable {
    public static var postgresType: PostgresType { .text }
    public func encode(into buffer: inout PostgresEncodingBuffer) { buffer.append(contentsOf: self.utf8) }
}

extension Bool: PostgresEncodable {
    public static var postgresType: PostgresType { .bool }
    public func encode(into buffer: inout PostgresEncodingBuffer) { buffer.append(self ? UInt8(ascii: "t") : UInt8(ascii: "f")) }
}

extension Double: PostgresEncodable {
    public static var postgresType: PostgresType { .float8 }
    public func encode(into buffer: inout PostgresEncodingBuffer) {
        // Swift's description is the shortest string that round-trips; spell
        // the special values the way PostgreSQL reads them.
        if isNaN { buffer.append("NaN") }
        else if self == .infinity { buffer.append("Infinity") }
        else if self == -.infinity { buffer.append("-Infinity") }
        else { buffer.append(self.description) }
    }
}

extension UUID: PostgresEncodable {
    public static var postgresType: PostgresType { .uuid }
    public func encode(into buffer: inout PostgresEncodingBuffer) { PostgresUUIDText.format(self, into: &buffer) }
}

extension Date: PostgresEncodable {
    public static var postgresType: PostgresType { .timestamptz }
    public func encode(into buffer: inout PostgresEncodingBuffer) {
        PostgresTimestamp.format(self, into: &buffer)
    }
}

extension Data: PostgresEncodable {
    public static var postgresType: PostgresType { .bytea }
    /// Binary format: raw bytes, no escaping, zero bytes allowed.
    public static var postgresFormat: PostgresFormat { .binary }
    public func encode(into buffer: inout PostgresEncodingBuffer) { buffer.append(contentsOf: self) }
}

extension Array: PostgresEncodable where Element == String {
    public static var postgresType: PostgresType { .textArray }
    public func encode(into buffer: inout PostgresEncodingBuffer) {
        PostgresArrayLiteral.format(self, into: &buffer)
    }
}
