import Foundation

// What NotificationContractTests reads of the notification service's own
// source and contract; the route reader, the OpenAPI look-ups, the checker and
// ContractResponse (also ServiceWorld.Response) are in TestSupport.

extension ContractOpenAPI {
    /// docs/openapi/notification.yaml (or `file`).
    init(documents: ContractDocuments, file: String = "docs/openapi/notification.yaml") throws {
        try self.init(documents: documents, file: file, checkedHeaders: [])
    }
}
