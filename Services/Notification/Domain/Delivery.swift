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
}

/// The idempotency key of a delivery: the same event, recipient and channel
/// give the same key, so a receiver recognises a repeat after a crash.
enum DeliveryKey {
    static func make(eventId: String, recipientId: UUID, channel: Channel) -> String {
        "\(eventId):\(recipientId.uuidString.lowercased()):\(channel.rawValue)"
    }
}
