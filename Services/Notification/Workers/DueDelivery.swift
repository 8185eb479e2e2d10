import ChannelSecrets
import Foundation

/// A delivery the worker has claimed (leased), with what sending it needs:
/// the notification, the recipient's name and mobile from the directory, and
/// the channel configuration that applies (the person's own, else their unit's).
struct DueDelivery: Sendable {
    var delivery: Delivery
    var message: OutboundMessage
    var recipientId: UUID
    /// The lease this claim set; recording the result requires it to be still ours.
    var leaseUntil: Date
    var endpoint: String?
    var sealedSecret: Data?
    /// The configuration's owner and channel, which its sealed secret is bound to.
    var secretBinding: SecretBinding?
    var configEnabled: Bool

    /// The attempt this send is (1 = the first).
    var attempt: Int { delivery.attempts + 1 }
}
