import Foundation
import Hummingbird
import ServiceKit

/// Who may do what in the notification service.
///
/// - An inbox belongs to a person: any role, the token's subject being the
///   person's id (`context.person()`).
/// - Channels: the office configures anyone's; a unit's liaison (a `unit`
///   token) its own unit's and its people's (checked per owner in
///   ChannelRoutes); operators may read them.
/// - Deliveries and their attempts: the office and operators read them;
///   only the office re-sends a dead one.
enum Access {
    static let channelReaders: [Principal.Role] = [.office, .ops, .unit]
    static let channelWriters: [Principal.Role] = [.office, .unit]
    static let deliveryReaders: [Principal.Role] = [.office, .ops]
    static let managers: [Principal.Role] = [.office]
}

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
