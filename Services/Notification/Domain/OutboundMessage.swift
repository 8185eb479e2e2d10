import Foundation

/// Everything a sender needs to know about the message, read from the
/// notification and the directory when the delivery is claimed.
struct OutboundMessage: Sendable, Equatable {
    /// The delivery's key (`DeliveryKey.make`): the same on every retry, so
    /// the receiver can recognise a repeat after a crash.
    var idempotencyKey: String
    var eventId: String
    var eventType: String
    var recipientId: UUID
    var recipientName: String?
    var recipientMobile: String?
    var notificationClass: NotificationClass
    var title: String
    var body: String
    var createdAt: Date
}

/// Where to send: the configured endpoint and its opened secret.
/// Its description hides both, so printing one by mistake leaks nothing
/// (a robot's URL carries its access token).
struct ChannelTarget: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    var endpoint: String
    var secret: String?

    var description: String { "ChannelTarget(endpoint: <hidden>, secret: \(secret == nil ? "none" : "<hidden>"))" }
    var debugDescription: String { description }
}
