import Foundation

// The notification service's values (DESIGN.md §1: Notification, Delivery).
// JSON uses these names, camelCase, like every service.

/// How much an alert matters: a letter (督办函/协调函, a task) must be
/// acknowledged (签收) and escalates when it is not.
enum NotificationClass: String, Codable, Sendable, CaseIterable {
    case info, letter, warning
}

/// One alert for one person, in their in-app inbox.
struct InboxNotification: Codable, Sendable, Equatable {
    var id: UUID
    var eventID: String
    var eventType: String
    var recipientID: UUID
    var unitID: String?
    var notificationClass: NotificationClass
    var title: String
    var body: String
    var createdAt: Date
    var readAt: Date?
    var acknowledgedAt: Date?
    var acknowledgedBy: String?
    var escalateAt: Date?
    var escalatedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, eventID, eventType, recipientID, unitID
        case notificationClass = "class"
        case title, body, createdAt, readAt, acknowledgedAt, acknowledgedBy, escalateAt, escalatedAt
    }
}

/// The outside channels (the inbox is always there and needs no delivery).
enum Channel: String, Codable, Sendable, CaseIterable {
    case webhook, dingtalk, wecom, sms
}

enum DeliveryState: String, Codable, Sendable, CaseIterable {
    case pending, sent, failed, dead
}

struct Delivery: Codable, Sendable, Equatable {
    var id: UUID
    var notificationID: UUID
    var channel: Channel
    var idempotencyKey: String
    var state: DeliveryState
    var attempts: Int
    var nextAttemptAt: Date
    var lastError: String?
    var sentAt: Date?
    var createdAt: Date
}

/// A channel configured for a person or a unit. The secret is write-only.
struct ChannelConfig: Codable, Sendable, Equatable {
    enum OwnerKind: String, Codable, Sendable { case person, unit }
    var id: UUID
    var ownerKind: OwnerKind
    var ownerID: String
    var channel: Channel
    var endpoint: String
    var hasSecret: Bool
    var enabled: Bool
    var updatedAt: Date
}

/// The idempotency key of a delivery: the same event, recipient and channel
/// give the same key, so a receiver recognises a repeat after a crash.
enum DeliveryKey {
    static func make(eventID: String, recipientID: UUID, channel: Channel) -> String {
        "\(eventID):\(recipientID.uuidString.lowercased()):\(channel.rawValue)"
    }
}
