import Foundation

/// One spelling of identifiers in JSON (docs/architecture.md): `unitId`,
/// `personId`, `aggregateId` — never `unitID`. Both spellings would decode
/// nothing for the other, so a document that names one must never name the
/// other.
extension ContractDocuments {
    /// `xxxID` / `xxxIDs` keys of JSON the document describes: property
    /// names, `required` entries and parameter names, each with where it is.
    package func misspelledIdentifiers(in url: URL) throws -> [String] {
        var found: [String] = []
        func isMisspelt(_ name: String) -> Bool { name.wholeMatch(of: /[a-z][A-Za-z0-9]*IDs?/) != nil }
        func walk(_ node: Any, _ path: String) {
            if let map = node as? [String: Any] {
                if let properties = map["properties"] as? [String: Any] {
                    for name in properties.keys where isMisspelt(name) { found.append("\(path).properties.\(name)") }
                }
                for name in (map["required"] as? [Any] ?? []).compactMap({ $0 as? String }) where isMisspelt(name) {
                    found.append("\(path).required: \(name)")
                }
                if let name = map["name"] as? String, map["in"] != nil, isMisspelt(name) {
                    found.append("\(path): parameter \(name)")
                }
                for (key, value) in map { walk(value, "\(path).\(key)") }
            } else if let list = node as? [Any] {
                for (index, value) in list.enumerated() { walk(value, "\(path)[\(index)]") }
            }
        }
        walk(try document(url), url.lastPathComponent)
        return found.sorted()
    }
}
