import Foundation

/// A request body with one member replaced by a value its document refuses.
package struct ContractViolation: CustomStringConvertible {
    /// The member's path as a problem names it: `name`, `channels.email`, `duties[0].text`.
    package var field: String
    /// Which documented rule the value breaks (`maxLength 50`, `pattern ^1[0-9]{10}$`).
    package var rule: String
    package var body: [String: Any]

    package var description: String { "\(field) (\(rule))" }
}

extension ContractOpenAPI {
    /// For every string member of `base` whose schema in the operation's
    /// request body states `minLength`, `maxLength` or `pattern`: `base` with
    /// that member breaking each rule in turn, found from the document itself,
    /// so a rule added to the document is probed without touching the tests.
    package func violations(_ method: String, _ path: String, base: [String: Any]) throws -> [ContractViolation] {
        guard let requestBody = operation(method, path)?["requestBody"] else { return [] }
        let (resolved, document) = try documents.dereference(requestBody, in: url)
        guard let schema = ((resolved["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] else {
            return []
        }
        var found: [ContractViolation] = []
        try collect(schema, in: document, value: base, at: [], into: &found, base: base)
        return found
    }

    private enum Step {
        case key(String)
        case index(Int)
    }

    private func collect(
        _ schema: Any, in document: URL, value: Any, at path: [Step], into found: inout [ContractViolation], base: [String: Any]
    ) throws {
        let (node, nodeDocument) = try documents.dereference(schema, in: document)
        for part in node["allOf"] as? [Any] ?? [] {
            try collect(part, in: nodeDocument, value: value, at: path, into: &found, base: base)
        }
        switch value {
        case let object as [String: Any]:
            for (name, member) in (node["properties"] as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard let present = object[name] else { continue }
                try collect(member, in: nodeDocument, value: present, at: path + [.key(name)], into: &found, base: base)
            }
        case let array as [Any]:
            if let items = node["items"], let first = array.first {
                try collect(items, in: nodeDocument, value: first, at: path + [.index(0)], into: &found, base: base)
            }
        case is String:
            for (rule, bad) in Self.breaking(node) {
                found.append(ContractViolation(field: Self.field(path), rule: rule, body: Self.replacing(path[...], in: base, with: bad) as? [String: Any] ?? base))
            }
        default:
            break
        }
    }

    /// A value breaking each length or pattern rule of a string schema.
    static func breaking(_ schema: [String: Any]) -> [(rule: String, value: String)] {
        var cases: [(String, String)] = []
        let pattern = schema["pattern"] as? String
        func matches(_ text: String) -> Bool {
            guard let pattern else { return true }
            return text.range(of: pattern, options: .regularExpression) != nil
        }
        if let maximum = schema["maxLength"] as? Int {
            // A character every text pattern of the documents admits where it admits any.
            let long = String(repeating: "a", count: maximum + 1)
            cases.append(("maxLength \(maximum)", long))
        }
        if let minimum = schema["minLength"] as? Int, minimum > 0 {
            cases.append(("minLength \(minimum)", String(repeating: "a", count: minimum - 1)))
        }
        if let pattern {
            let candidates = ["", " ", "\u{3000}\t", "a b", "字", "x\n", "ABC", "a\u{0}b"]
            if let bad = candidates.first(where: { !matches($0) }) {
                cases.append(("pattern \(pattern)", bad))
            }
        }
        return cases
    }

    private static func field(_ path: [Step]) -> String {
        path.reduce(into: "") { text, step in
            switch step {
            case .key(let key): text += text.isEmpty ? key : "." + key
            case .index(let index): text += "[\(index)]"
            }
        }
    }

    private static func replacing(_ path: ArraySlice<Step>, in node: Any, with value: Any) -> Any {
        guard let step = path.first else { return value }
        switch (step, node) {
        case (.key(let key), var object as [String: Any]):
            object[key] = replacing(path.dropFirst(), in: object[key] as Any, with: value)
            return object
        case (.index(let index), var array as [Any]) where array.indices.contains(index):
            array[index] = replacing(path.dropFirst(), in: array[index], with: value)
            return array
        default:
            return node
        }
    }
}
