import EventFlow
import Foundation
import Yams

// Support for the contract tests (RegistryContractTests, NotificationContractTests):
// the package's files, the YAML contracts (docs/openapi/*.yaml, docs/asyncapi.yaml)
// and a small checker of JSON against the subset of JSON Schema those documents use.

/// A JSON value as it came over the wire (EventFlow's `JSONValue`).
package typealias ContractJSON = JSONValue

extension JSONValue {
    package static func parse(_ bytes: [UInt8]) throws -> ContractJSON { try parse(Data(bytes)) }

    /// A value built in a test (`[String: Any]` and friends), through JSONSerialization.
    package static func from(_ value: Any) throws -> ContractJSON {
        try parse(JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed]))
    }

    /// Whether this equals a value of a YAML tree (`enum`, `const`).
    package func equals(yaml: Any) -> Bool {
        switch (self, yaml) {
        case (.null, is NSNull): true
        case (.bool(let a), let b as Bool): a == b
        case (.number(let a), let b as Int): a == Double(b)
        case (.number(let a), let b as Double): a == b
        case (.string(let a), let b as String): a == b
        case (.array(let a), let b as [Any]): a.count == b.count && zip(a, b).allSatisfy { $0.equals(yaml: $1) }
        case (.object(let a), let b as [String: Any]):
            a.count == b.count && a.allSatisfy { key, value in b[key].map { value.equals(yaml: $0) } ?? false }
        default: false
        }
    }
}

package struct ContractError: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}

/// The package's root folder, from this file's path (tests run from the root
/// too, but the file's path does not depend on how the tests were started).
package enum ContractFiles {
    package static func root(_ filePath: String = #filePath) throws -> URL {
        var folder = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        for _ in 0..<6 {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) { return folder }
            folder = folder.deletingLastPathComponent()
        }
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        if FileManager.default.fileExists(atPath: current.appendingPathComponent("Package.swift").path) { return current }
        throw ContractError("cannot find the package root (Package.swift) from \(filePath)")
    }

    package static func url(_ relativePath: String) throws -> URL {
        try root().appendingPathComponent(relativePath).standardizedFileURL
    }

    package static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: url(relativePath), encoding: .utf8)
    }
}

/// YAML (or JSON) documents, loaded once each, and `$ref` resolution across
/// them: `#/a/b` within the same document, `other.yaml#/a/b` relative to it.
package final class ContractDocuments {
    private var loaded: [URL: Any] = [:]

    package init() {}

    package func document(_ url: URL) throws -> Any {
        let url = url.standardizedFileURL
        if let tree = loaded[url] { return tree }
        let text = try String(contentsOf: url, encoding: .utf8)
        guard let tree = try Yams.load(yaml: text) else { throw ContractError("\(url.lastPathComponent) is empty") }
        loaded[url] = tree
        return tree
    }

    package func root(_ url: URL) throws -> [String: Any] {
        guard let tree = try document(url) as? [String: Any] else { throw ContractError("\(url.lastPathComponent) is not a mapping") }
        return tree
    }

    /// The node `ref` points at, and the document it is in.
    /// Every distinct `$ref` in the document at `url`, with the error of each
    /// one that does not resolve.
    package func references(in url: URL) throws -> (refs: Set<String>, unresolved: [String]) {
        func collect(_ node: Any, _ found: inout Set<String>) {
            if let map = node as? [String: Any] {
                if let ref = map["$ref"] as? String { found.insert(ref) }
                for value in map.values { collect(value, &found) }
            } else if let list = node as? [Any] {
                for value in list { collect(value, &found) }
            }
        }
        var found = Set<String>()
        collect(try document(url), &found)
        var unresolved: [String] = []
        for ref in found {
            do { _ = try resolve(ref, from: url) } catch { unresolved.append("\(url.lastPathComponent): \(error)") }
        }
        return (found, unresolved)
    }

    package func resolve(_ ref: String, from base: URL) throws -> (node: Any, document: URL) {
        let parts = ref.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let file = String(parts[0])
        let pointer = parts.count > 1 ? String(parts[1]) : ""
        let target = file.isEmpty ? base : URL(fileURLWithPath: file, relativeTo: base.deletingLastPathComponent()).standardizedFileURL
        var node = try document(target)
        for raw in pointer.split(separator: "/", omittingEmptySubsequences: true) {
            let token = raw.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            if let map = node as? [String: Any], let next = map[token] {
                node = next
            } else if let list = node as? [Any], let index = Int(token), list.indices.contains(index) {
                node = list[index]
            } else {
                throw ContractError("$ref \(ref) (from \(base.lastPathComponent)) does not resolve at \(token)")
            }
        }
        return (node, target)
    }

    /// Follows `$ref`s until a node without one (for non-schema objects:
    /// responses, parameters, messages, bindings).
    package func dereference(_ node: Any, in document: URL) throws -> (node: [String: Any], document: URL) {
        var node = node
        var document = document
        for _ in 0..<20 {
            guard let map = node as? [String: Any] else { throw ContractError("expected a mapping, found \(node)") }
            guard let ref = map["$ref"] as? String else { return (map, document) }
            (node, document) = try resolve(ref, from: document)
        }
        throw ContractError("$ref loop in \(document.lastPathComponent)")
    }

    // MARK: The schema checker

    /// Problems of `value` against `schema` (found in `document`), each with
    /// its JSON path. Beyond JSON Schema, a property that the schema's
    /// `properties` do not declare is a problem unless `additionalProperties`
    /// allows it: the contract must name everything the service sends. A
    /// branch of `allOf`/`anyOf`/`oneOf` beside the schema's own `properties`
    /// only adds rules (`closed: false`): the members it does not name are the
    /// parent's to declare.
    package func check(
        _ value: ContractJSON, against schema: Any, in document: URL, at path: String = "$", closed: Bool = true
    ) -> [String] {
        if let allowed = schema as? Bool { return allowed ? [] : ["\(path): no value is allowed here"] }
        guard let schema = schema as? [String: Any] else { return ["\(path): the schema is not a mapping (\(schema))"] }
        var problems: [String] = []

        if let ref = schema["$ref"] as? String {
            do {
                let (target, targetDocument) = try resolve(ref, from: document)
                problems += check(value, against: target, in: targetDocument, at: path, closed: closed)
            } catch {
                return ["\(path): \(error)"]
            }
        }
        // Branches beside own properties only add rules; alone, they are the schema.
        let branchesClosed = closed && schema["properties"] == nil
        if let all = schema["allOf"] as? [Any] {
            for part in all { problems += check(value, against: part, in: document, at: path, closed: branchesClosed) }
        }
        if let any = schema["anyOf"] as? [Any],
            !any.contains(where: { check(value, against: $0, in: document, at: path, closed: branchesClosed).isEmpty })
        {
            problems.append("\(path): \(value) matches none of anyOf")
        }
        if let one = schema["oneOf"] as? [Any] {
            let matching = one.filter { check(value, against: $0, in: document, at: path, closed: branchesClosed).isEmpty }.count
            if matching != 1 { problems.append("\(path): \(value) matches \(matching) of oneOf, not exactly one") }
        }

        if let type = schema["type"] {
            let types = (type as? [Any])?.compactMap { $0 as? String } ?? [type as? String].compactMap { $0 }
            guard types.contains(where: { Self.isOfType(value, $0) }) else {
                return problems + ["\(path): \(value) is not of type \(types.joined(separator: " or "))"]
            }
        }
        if let constant = schema["const"], !value.equals(yaml: constant) {
            problems.append("\(path): \(value) is not the constant \(constant)")
        }
        if let values = schema["enum"] as? [Any], !values.contains(where: { value.equals(yaml: $0) }) {
            problems.append("\(path): \(value) is not one of the enum \(values.map { "\($0)" }.joined(separator: ", "))")
        }

        switch value {
        case .string(let text):
            if let pattern = schema["pattern"] as? String, text.range(of: pattern, options: .regularExpression) == nil {
                problems.append("\(path): \"\(text)\" does not match \(pattern)")
            }
            if let minimum = schema["minLength"] as? Int, text.count < minimum { problems.append("\(path): shorter than \(minimum)") }
            if let maximum = schema["maxLength"] as? Int, text.count > maximum { problems.append("\(path): longer than \(maximum)") }
            switch schema["format"] as? String {
            case "uuid":
                if UUID(uuidString: text) == nil { problems.append("\(path): \"\(text)\" is not a UUID") }
            case "date-time":
                if RFC3339.parse(text) == nil { problems.append("\(path): \"\(text)\" is not an RFC 3339 date-time") }
            default: break
            }
        case .number(let number):
            if let minimum = Self.double(schema["minimum"]), number < minimum { problems.append("\(path): \(number) < \(minimum)") }
            if let maximum = Self.double(schema["maximum"]), number > maximum { problems.append("\(path): \(number) > \(maximum)") }
        case .array(let values):
            if let minimum = schema["minItems"] as? Int, values.count < minimum { problems.append("\(path): fewer than \(minimum) items") }
            if let maximum = schema["maxItems"] as? Int, values.count > maximum { problems.append("\(path): more than \(maximum) items") }
            if schema["uniqueItems"] as? Bool == true, Set(values.map { "\($0)" }).count != values.count {
                problems.append("\(path): items repeat")
            }
            if let items = schema["items"] {
                for (index, item) in values.enumerated() { problems += check(item, against: items, in: document, at: "\(path)[\(index)]") }
            }
        case .object(let members):
            for name in (schema["required"] as? [Any])?.compactMap({ $0 as? String }) ?? [] where members[name] == nil {
                problems.append("\(path): the required property \(name) is missing")
            }
            let declared = schema["properties"] as? [String: Any]
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                if let property = declared?[name] {
                    problems += check(member, against: property, in: document, at: "\(path).\(name)")
                } else if let additional = schema["additionalProperties"] {
                    problems += check(member, against: additional, in: document, at: "\(path).\(name)")
                } else if declared != nil && closed {
                    problems.append("\(path): the property \(name) is not in the contract")
                }
            }
        default:
            break
        }
        return problems
    }

    package static func isOfType(_ value: ContractJSON, _ type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string), ("array", .array), ("object", .object):
            true
        case ("integer", .number(let number)):
            number == number.rounded()
        default:
            false
        }
    }

    package static func double(_ value: Any?) -> Double? {
        if let value = value as? Int { return Double(value) }
        return value as? Double
    }
}

/// `problems` with array indices written `[*]` and repeats dropped: one
/// schema mistake otherwise reports once per item of every list.
package func contractCollapsed(_ problems: [String]) -> [String] {
    var seen: Set<String> = []
    return problems.map { $0.replacingOccurrences(of: #"\[[0-9]+\]"#, with: "[*]", options: .regularExpression) }
        .filter { seen.insert($0).inserted }
}

/// JSON Merge Patch (RFC 7396) of YAML trees: how AsyncAPI applies a message
/// trait (`target`) under the message's own fields (`patch`, which wins).
package func contractMergePatch(_ target: Any?, _ patch: Any) -> Any {
    guard let patch = patch as? [String: Any] else { return patch }
    var result = (target as? [String: Any]) ?? [:]
    for (key, value) in patch {
        if value is NSNull { result[key] = nil } else { result[key] = contractMergePatch(result[key], value) }
    }
    return result
}
