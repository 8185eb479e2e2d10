import Foundation

/// Any JSON value, as it came over the wire: an event's `data` read by
/// fields that are data rather than code (the notification service's routing
/// rules), or a response a contract test checks against its schema. Decoded
/// with `JSONDecoder`, which keeps `true` and `1` apart.
public enum JSONValue: Sendable, Equatable, Decodable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// `data` read by the byte reader (JSONValue+Parse.swift).
    public static func parse(_ data: Data) throws -> JSONValue {
        try parse([UInt8](data))
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    public var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The items of an array; empty for anything else.
    public var items: [JSONValue] {
        if case .array(let values) = self { return values }
        return []
    }

    /// The strings of a string or of a list of strings (other items skipped).
    public var strings: [String] {
        switch self {
        case .string(let value): [value]
        case .array(let items): items.compactMap(\.string)
        default: []
        }
    }

    /// A scalar's text (numbers without a needless `.0`); nil for null,
    /// arrays and objects.
    public var scalarText: String? {
        switch self {
        case .null, .array, .object: nil
        case .bool(let value): value ? "true" : "false"
        case .string(let value): value
        case .number(let value): Self.text(of: value)
        }
    }

    /// Short, for messages: an object shows its keys.
    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .number(let value): Self.text(of: value)
        case .string(let value): "\"\(value)\""
        case .array(let values): "[\(values.map(\.description).joined(separator: ", "))]"
        case .object(let members): "{\(members.keys.sorted().joined(separator: ", "))}"
        }
    }

    private static func text(of number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }
}
