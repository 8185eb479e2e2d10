import Foundation

// What NotificationContractTests reads of the notification service's own
// source and contract; the route reader, the OpenAPI look-ups, the checker and
// ContractResponse (also ServiceWorld.Response) are in TestSupport.

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
