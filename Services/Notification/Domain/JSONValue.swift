import Foundation

/// An event's `data` as plain JSON, so routing rules (data, not code) can
/// read any field of any event type by path.
enum JSONValue: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
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

    /// The value at `path` (object keys; decimal components index arrays), or
    /// nil when any step is missing.
    func value(at path: JSONPath) -> JSONValue? {
        var current = self
        for component in path.components {
            switch current {
            case .object(let members):
                guard let next = members[component] else { return nil }
                current = next
            case .array(let items):
                guard let index = Int(component), items.indices.contains(index) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }

    /// A scalar's text (numbers without a needless `.0`); nil for null,
    /// arrays and objects.
    var scalarText: String? {
        switch self {
        case .null, .array, .object: nil
        case .bool(let value): value ? "true" : "false"
        case .string(let value): value
        case .number(let value):
            value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        }
    }

    /// The strings of a string or of a list of strings (other items skipped).
    var strings: [String] {
        switch self {
        case .string(let value): [value]
        case .array(let items): items.compactMap { if case .string(let text) = $0 { text } else { nil } }
        default: []
        }
    }
}

/// A dotted path into an event's data, e.g. `unit.id` or `letter.unitId`.
/// A decimal component indexes a list (`unit.duties.0.text`).
struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    let components: [String]

    init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let components = trimmed.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !trimmed.isEmpty, components.allSatisfy({ !$0.isEmpty && !$0.contains(where: \.isWhitespace) }) else {
            return nil
        }
        self.components = components
    }

    var description: String { components.joined(separator: ".") }

    /// The path with list indices as `*`, the form the event catalog lists.
    var pattern: String {
        components.map { Int($0) != nil ? "*" : $0 }.joined(separator: ".")
    }
}
