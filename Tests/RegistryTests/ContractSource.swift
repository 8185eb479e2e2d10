import Foundation

// What RegistryContractTests reads of the registry's own source and contract;
// the route reader, the OpenAPI look-ups and the checker are in TestSupport.

extension ContractRoute {
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
