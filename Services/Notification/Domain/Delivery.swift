import Domain
import Foundation

/// The outside channels (the inbox is always there and needs no delivery).
enum Channel: String, Codable, Sendable, CaseIterable {
    case webhook, dingtalk, wecom, sms
}

enum DeliveryState: String, Codable, Sendable, CaseIterable {
    case pending, sent, failed, dead
}

struct Delivery: Codable, Sendable, Equatable {
    var id: UUID
    var notificationId: UUID
    var channel: Channel
    var idempotencyKey: String
    var state: DeliveryState
    var attempts: Int
    var nextAttemptAt: Date
    var lastError: String?
    var sentAt: Date?
    var createdAt: Date
    /// Set when this delivery is a fallback: the dead delivery on the channel
    /// before this one, and why it died.
    var fallbackFromId: UUID? = nil
    var fallbackReason: String? = nil
}

/// The idempotency key of a delivery: the same event and recipient give the
/// same key — on every retry, after a crash, and on the channels a dead
/// delivery falls back to — so a receiver recognises a repeat.
enum DeliveryKey {
    static func make(eventId: String, recipientId: UUID) -> String {
        "\(eventId):\(recipientId.lowercasedString)"
    }
}
