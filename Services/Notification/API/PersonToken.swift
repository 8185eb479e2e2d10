import Foundation
import Hummingbird
import ServiceKit

extension ServiceRequestContext {
    /// The person a token speaks for: its subject is the person's id.
    func person() throws -> (Principal, UUID) {
        let principal = try requireAuthentication()
        guard let id = UUID(uuidString: principal.subject) else {
            throw Problem.forbidden("An inbox belongs to a person: the token's subject must be a person id (sjctl token --subject <person id>).")
        }
        return (principal, id)
    }
}
