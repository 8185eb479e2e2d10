import Foundation

/// A Swift value that can be read from a result column. Results arrive in
/// text format; `bytes` is the column's text (never SQL NULL — see `postgresNull`).
public protocol PostgresDecodable {
    init(postgresText bytes: ArraySlice<UInt8>, type: PostgresType) throws
    /// What SQL NULL decodes to; nil means NULL is an error for this type.
    static var postgresNull: Self? { get }
}

extension PostgresDecodable {
    public static var postgresNull: Self? { nil }
}

/// A column's text could not be parsed; `PostgresRow` adds the column name.
struct PostgresValueError: Error {
    var reason: String
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public init(postgresText bytes: ArraySlice<UInt8>, type: PostgresType) throws {
        self = .some(try Wrapped(postgresText: bytes, type: type))
    }
    public static var postgresNull: Self? { .some(.none) }
}

extension Int: PostgresDecodable {
    public init(postgresText bytes: ArraySlice<UInt8>, type: PostgresType) throws {
        self = try PostgresTextParser.integer(bytes, as: Int.self)
    }
}

extension Int64: PostgresDecodable {
    public init(postgresText bytes: ArraySlice<UInt8>, type: PostgresType) throws {
        self = try PostgresTextParser.integer(bytes, as: Int64.self)
    }
}

extension Int32: PostgresDecodable {
    public init(postgresText bytes: ArraySlice<UInt8>, type: PostgresType) throws {
        self = try PostgresTextParser.integer(bytes, as: Int32.self)
    }
}

extension Int16: PostgresDecodable {
    public init(postgresText bytes: ArraySlice<UInt8>, type: PostgresType) throws {
        self = try PostgresTextParser.integer(bytes, as: Int16.self)
    }
}

/// Any column decodes as String: its PostgreSQL text representation.
extension String: PostgresDecodable {
    public init(postgresText bytes: ArraySlice<UInt8>, type: PostgresType) throws {
        self = String(decoding: bytes, as: UTF8.self)
    }
}

extension Bool: PostgresDecodable {
    public init(postgresText bytes: ArraySlice<UInt8>, type: PostgresType) throws {
        switch bytes.first {
        case UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "1"), UInt8(ascii: "y"): self = true
        case UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "0"), UInt8(ascii: "n"): self = false
        default: throw PostgresValueError(reason: "not a boolean: \(String(decoding: bytes, as: UTF8.self))")
        }
    }
}

extension Double: PostgresDecodable {
    public init(postgresText bytes: ArraySlice<UInt8>, type: PostgresType) throws {
        let text = String(decoding: bytes, as: UTF8.self)
        if let value = Double(text) { self = value; return }
        switch text {
        case "NaN": self = .nan
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        default: throw PostgresValueError(reason: "not a number: \(text)")
        }
    }
}

extension UUID: PostgresDecodable {
    public init(postgresText bytes: ArraySlice<UInt8>, type: PostgresType) throws {
        guard let value = PostgresUUIDText.parse(bytes) else {
            throw PostgresValueError(reason: "not a UUID: \(String(decoding: bytes, as: UTF8.self))")
        }
        self = value
    }
}

extension Date: PostgresDecodable {
    public init(postgresText bytes: ArraySlice<UInt8>, type: PostgresType) throws {
        self = try PostgresTimestamp.parse(bytes)
    }
}

extension Data: PostgresDecodable {
    public init(postgresText bytes: ArraySlice<UInt8>, type: PostgresType) throws {
        self = try PostgresTextParser.bytea(bytes)
    }
}

extension Array: PostgresDecodable where Element == String {
    public init(postgresText bytes: ArraySlice<UInt8>, type: PostgresType) throws {
        self = try PostgresArrayLiteral.parse(bytes)
    }
}
