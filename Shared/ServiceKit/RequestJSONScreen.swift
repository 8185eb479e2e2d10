import Foundation

/// Finds the members of a request body that decoded but must not be taken:
/// an explicit `null` (Codable reads it as absent, but the documents say a
/// member is a string, an object, …; an absent member is left out, never
/// null) and a string holding U+0000 (PostgreSQL stores no NUL in text or
/// jsonb, so it would fail at the database as a 500).
///
/// Only the members the decoded type reads count: a client may send members
/// the API does not know (the documents allow them), and what is in those is
/// never used. To tell them apart, every suspect value is replaced by `[[]]`
/// (an array holding an empty array) — a value no request member accepts
/// (none is an array of arrays) — and the body decoded again: a member the
/// type reads fails to decode at its path (or inside it: an array of strings
/// fails at its first element), one it ignores does not. Not 0.5: Foundation
/// refuses 0.5 for an `Int` member with an error at the root, naming no path.
enum RequestJSONScreen {
    static var marker: Any { [[] as [Any]] }

    /// A 400 listing the refused members, if any.
    static func refuse<T: Decodable>(_ data: Data, decodingAs type: T.Type, with decoder: JSONDecoder) throws(Problem) {
        let problems = problems(in: data, decodingAs: type, with: decoder)
        if !problems.isEmpty { throw Problem.validation(problems, status: .badRequest) }
    }

    /// Every refused member, by its path in the body (`channels.mobile`, `duties[0].text`).
    static func problems<T: Decodable>(in data: Data, decodingAs type: T.Type, with decoder: JSONDecoder) -> [Problem.FieldError] {
        guard data.range(of: Data("null".utf8)) != nil || data.range(of: Data(#"\u0000"#.utf8)) != nil,
              var tree = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        else { return [] }
        var suspects: [[PathElement]: Suspect] = [:]
        tree = mark(tree, at: [], &suspects)
        guard !suspects.isEmpty else { return [] }

        var problems: [Problem.FieldError] = []
        // Each round finds one member the type reads.
        for _ in 0..<suspects.count {
            guard let body = try? JSONSerialization.data(withJSONObject: tree, options: [.fragmentsAllowed]) else { break }
            do {
                _ = try decoder.decode(T.self, from: body)
                break
            } catch let error as DecodingError {
                guard let errorKeys = codingPath(of: error) else { break }
                // The suspect the error is at or inside: the longest one its path starts with.
                let errorPath = errorKeys.map { PathElement($0) }
                guard let length = (0...errorPath.count).reversed().first(where: { suspects[Array(errorPath.prefix($0))] != nil })
                else { break }
                let keys = Array(errorKeys.prefix(length))
                let path = Array(errorPath.prefix(length))
                let suspect = suspects[path]!
                problems.append(.init(field: Problem.fieldPath(keys) ?? "", detail: suspect.detail))
                // Put back what decoded before (a null member dropped, the text
                // without its NUL), so the next round can find the next one.
                switch suspect {
                case .null:
                    if case .index = path.last { return problems }  // dropping it would shift the later paths
                    tree = replacing(path[...], in: tree, with: nil)
                case .nul(let text):
                    tree = replacing(path[...], in: tree, with: text.replacingOccurrences(of: "\u{0}", with: ""))
                }
            } catch {
                break
            }
        }
        return problems
    }

    enum Suspect {
        case null
        case nul(String)

        var detail: String {
            switch self {
            case .null: "must not be null: leave the member out instead"
            case .nul: "must not contain the NUL character (U+0000)"
            }
        }
    }

    enum PathElement: Hashable {
        case key(String)
        case index(Int)

        init(_ key: any CodingKey) {
            if let index = key.intValue, key.stringValue.hasPrefix("Index ") || key.stringValue == "\(index)" {
                self = .index(index)
            } else {
                self = .key(key.stringValue)
            }
        }
    }

    private static func mark(_ node: Any, at path: [PathElement], _ suspects: inout [[PathElement]: Suspect]) -> Any {
        switch node {
        case is NSNull:
            suspects[path] = .null
            return marker
        case let text as String where text.unicodeScalars.contains("\u{0}"):
            suspects[path] = .nul(text)
            return marker
        case let object as [String: Any]:
            return Dictionary(uniqueKeysWithValues: object.map { key, value in (key, mark(value, at: path + [.key(key)], &suspects)) })
        case let array as [Any]:
            return array.enumerated().map { index, value in mark(value, at: path + [.index(index)], &suspects) }
        default:
            return node
        }
    }

    /// `node` with the value at `path` replaced (nil: the member removed).
    private static func replacing(_ path: ArraySlice<PathElement>, in node: Any, with value: Any?) -> Any {
        guard let first = path.first else { return value ?? node }
        switch (first, node) {
        case (.key(let key), var object as [String: Any]):
            if path.count == 1 {
                object[key] = value
            } else if let child = object[key] {
                object[key] = replacing(path.dropFirst(), in: child, with: value)
            }
            return object
        case (.index(let index), var array as [Any]) where array.indices.contains(index):
            if path.count == 1 {
                if let value { array[index] = value }
            } else {
                array[index] = replacing(path.dropFirst(), in: array[index], with: value)
            }
            return array
        default:
            return node
        }
    }

    private static func codingPath(of error: DecodingError) -> [any CodingKey]? {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return context.codingPath
        case .keyNotFound(_, let context):
            return context.codingPath
        @unknown default:
            return nil
        }
    }
}
