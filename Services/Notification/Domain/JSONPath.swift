import EventFlow
import Foundation

extension JSONValue {
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
