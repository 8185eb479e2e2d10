import Domain
import EventFlow
import Foundation

/// The events a delivery's attempts produce, on `shuangjian.notification.deliveries`,
/// keyed by the delivery id so one delivery's events stay in order.
enum DeliveryEventType {
    /// The endpoint took the message.
    static let sent = "cn.gov.fangxian.shuangjian.notification.delivery.sent.v1"
    /// An attempt failed; another follows at `delivery.nextAttemptAt`.
    static let failed = "cn.gov.fangxian.shuangjian.notification.delivery.failed.v1"
    /// No more attempts: a permanent failure, or the last attempt failed.
    static let dead = "cn.gov.fangxian.shuangjian.notification.delivery.dead.v1"

    static let all = [sent, failed, dead]

    static func of(_ state: DeliveryState) -> String {
        switch state {
        case .sent: sent
        case .dead: dead
        case .failed, .pending: failed
        }
    }
}

/// The `data` of the delivery events. Keys follow the project's camelCase
/// (Codable names, like `Delivery`'s own `notificationID`).
struct DeliveryEventPayload: Codable, Sendable, Equatable {
    /// The delivery after this attempt (state, attempts, nextAttemptAt, lastError, sentAt).
    var delivery: Delivery
    var notificationID: UUID
    var eventID: String
    var recipientID: UUID
    /// The attempt's number (1 = the first).
    var attempt: Int
    /// The attempt's redacted error; absent when sent.
    var error: String?

    func outboxEvent(occurredAt: Date) throws -> OutboxEvent {
        let id = delivery.id.uuidString.lowercased()
        return try OutboxEvent(
            topic: Topic.notificationDeliveries, aggregateType: "delivery", aggregateID: id,
            type: DeliveryEventType.of(delivery.state), subject: "deliveries/\(id)", payload: self,
            occurredAt: occurredAt)
    }
}
