import Foundation

// What RegistryContractTests reads of the registry's own source and contract;
// the route reader, the OpenAPI look-ups and the checker are in TestSupport.

extension ContractRoute {
    /// Who the handler lets in, from its `require` calls, in the terms of the
    /// OpenAPI document's `x-roles` and `x-own-unit`; nil when the handler
    /// does not say in a way this test knows.
    func access(readers: [String], managers: [String]) -> (roles: Set<String>, ownUnit: Bool)? {
        if handler.contains("require(anyOf: Access.readers)") { return (Set(readers), false) }
        if handler.range(of: #"require\(unit:[^)]*orAnyOf: Access\.managers\)"#, options: .regularExpression) != nil {
            return (Set(managers), true)
        }
        if handler.contains("require(anyOf: Access.managers)") { return (Set(managers), false) }
        // ServiceKit's shared routes name their roles: `require(.office, .convener)`.
        if let match = handler.firstMatch(of: /require\(((?:\.[A-Za-z]+(?:, )?)+)\)/) {
            let names = ["office": "office", "convener": "convener", "unit": "unit", "countySystem": "county-system", "ops": "ops"]
            let roles = String(match.1).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: ["."]) }
            guard roles.allSatisfy({ names[$0] != nil }) else { return nil }
            return (Set(roles.compactMap { names[$0] }), false)
        }
        // PATCH /v1/people/{id}: the office or a unit token gets in, then `authorize` lets the
        // office change anything and a unit's liaison its own people's channels.
        if (handler.contains("requireAuthentication()") || handler.contains("require(anyOf: Access.managers + [.unit])"))
            && handler.contains("authorize(principal") {
            return (Set(managers), true)
        }
        return nil
    }

    /// Whether the handler is an idempotent create.
    var isIdempotentCreate: Bool { handler.contains("IdempotentCreate(") }
}

extension ContractSource {
    /// The query parameters a source file reads: `queryParameters.get("x")`,
    /// `query.get("x")`, and the institution search's `parse("x")`.
    static func queryParameters(in file: String) throws -> Set<String> {
        try queryParameters(in: file, patterns: [queryGet, #"\bparse\("([A-Za-z]+)""#])
    }
}

extension ContractOpenAPI {
    /// docs/openapi/registry.yaml; a response's `Idempotent-Replayed` header must be documented.
    init(documents: ContractDocuments) throws {
        try self.init(documents: documents, file: "docs/openapi/registry.yaml", checkedHeaders: ["Idempotent-Replayed"])
    }
}
