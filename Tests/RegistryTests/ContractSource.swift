import Foundation

// What RegistryContractTests reads of the registry's own source and contract;
// the route reader, the OpenAPI look-ups and the checker are in TestSupport.

extension ContractOpenAPI {
    /// docs/openapi/registry.yaml; a response's `Idempotent-Replayed` header must be documented.
    init(documents: ContractDocuments) throws {
        try self.init(documents: documents, file: "docs/openapi/registry.yaml", checkedHeaders: ["Idempotent-Replayed"])
    }
}
