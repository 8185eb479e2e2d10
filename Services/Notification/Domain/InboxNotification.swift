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
    var eventId: String
    var eventType: String
    var recipientId: UUID
    var unitId: String?
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
        case id, eventId, eventType, recipientId, unitId
        case notificationClass = "class"
        case title, body, createdAt, readAt, acknowledgedAt, acknowledgedBy, escalateAt, escalatedAt
    }
}
