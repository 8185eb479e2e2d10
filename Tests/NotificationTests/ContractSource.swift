import Foundation

// What NotificationContractTests reads of the notification service's own
// source and contract; the route reader, the OpenAPI look-ups, the checker and
// ContractResponse (also ServiceWorld.Response) are in TestSupport.

extension ContractRoute {
    /// Swift case names of `Principal.Role` → their raw values (`x-roles`).
    static let roleNames = ["office": "office", "convener": "convener", "unit": "unit", "countySystem": "county-system", "ops": "ops"]

    /// Who the handler lets in, from its calls, in the terms of the OpenAPI
    /// document's `x-roles`, `x-own-unit` and `x-person`; nil when the
    /// handler does not say in a way this test knows.
    ///
    /// - `context.person()`: any role, the token's subject being a person id.
    /// - `require(anyOf: Self.<name>)`: the roles of the static list `named`.
    /// - `require(.a)` / `require(anyOf: [.a, .b])`: those roles; with `.unit`
    ///   and a call to `authorize(principal`, a unit token is let in for its
    ///   own unit only (`x-own-unit`), the office for any.
    func access(named lists: [String: [String]]) -> (roles: Set<String>, ownUnit: Bool, person: Bool)? {
        if handler.contains("context.person()") { return (Set(Self.roleNames.values), false, true) }
        if let match = handler.firstMatch(of: /require\(anyOf: Self\.([A-Za-z]+)\)/) {
            return lists[String(match.1)].map { (Set($0), false, false) }
        }
        guard let match = handler.firstMatch(of: /require\((?:anyOf: \[)?((?:\.[A-Za-z]+(?:, )?)+)\]?\)/) else { return nil }
        var roles: Set<String> = []
        for name in String(match.1).split(separator: ",") {
            guard let role = Self.roleNames[name.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: ["."])] else { return nil }
            roles.insert(role)
        }
        if roles.contains("unit") && handler.contains("authorize(principal") {
            roles.remove("unit")
            return (roles, true, false)
        }
        return (roles, false, false)
    }
}

extension ContractSource {
    /// The query parameters a source file reads: `queryParameters.get("x")`, `query.get("x")`.
    static func queryParameters(in file: String) throws -> Set<String> {
        try queryParameters(in: file, patterns: [queryGet])
    }
}

extension ContractOpenAPI {
    /// docs/openapi/notification.yaml (or `file`).
    init(documents: ContractDocuments, file: String = "docs/openapi/notification.yaml") throws {
        try self.init(documents: documents, file: file, checkedHeaders: [])
    }
}
