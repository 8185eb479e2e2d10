import Domain
import EventFlow
import Foundation

/// What happens to a notification, on `shuangjian.notification.deliveries`,
/// keyed by the notification id: 签收 (acknowledged) and escalation of a
/// letter nobody acknowledged in time.
enum NotificationEvent {
    /// `notification.acknowledged.v1`'s data.
    struct Acknowledged: Codable, Sendable {
        var notification: InboxNotification
    }

    /// `notification.escalated.v1`'s data: the original (now marked
    /// escalated) and the people it went to.
    struct Escalated: Codable, Sendable, Equatable {
        var notification: InboxNotification
        var escalatedTo: [UUID]
    }

    static func acknowledged(_ notification: InboxNotification, at time: Date) throws -> OutboxEvent {
        try event(EventType.notificationAcknowledged, notification, Acknowledged(notification: notification), at: time)
    }

    static func escalated(_ notification: InboxNotification, to people: [UUID], at time: Date) throws -> OutboxEvent {
        try event(
            EventType.notificationEscalated, notification, Escalated(notification: notification, escalatedTo: people),
            at: time)
    }

    private static func event(
        _ type: String, _ notification: InboxNotification, _ payload: some Encodable & Sendable, at time: Date
    ) throws -> OutboxEvent {
        let id = notification.id.uuidString.lowercased()
        return try OutboxEvent(
            topic: Topic.notificationDeliveries, aggregateType: "notification", aggregateId: id, type: type,
            subject: "notifications/\(id)", payload: payload, occurredAt: time)
    }
}
