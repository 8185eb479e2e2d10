import Domain
import EventFlow
import Foundation

/// The events a delivery's attempts produce, on `shuangjian.notification.deliveries`,
/// keyed by the delivery id so one delivery's events stay in order:
/// sent (the endpoint took it), failed (another attempt follows at
/// `delivery.nextAttemptAt`), dead (no more attempts).
extension DeliveryState {
    var eventType: String {
        switch self {
        case .sent: EventType.deliverySent
        case .dead: EventType.deliveryDead
        case .failed, .pending: EventType.deliveryFailed
        }
    }
}

/// The `data` of the delivery events. Keys follow the project's camelCase
/// (Codable names, like `Delivery`'s own `notificationId`).
struct DeliveryEventPayload: Codable, Sendable, Equatable {
    /// The delivery after this attempt (state, attempts, nextAttemptAt, lastError, sentAt).
    var delivery: Delivery
    var notificationId: UUID
    var eventId: String
    var recipientId: UUID
    /// The attempt's number (1 = the first).
    var attempt: Int
    /// The attempt's redacted error; absent when sent.
    var error: String?

    /// The event of this outcome: by default the type of the delivery's
    /// new state (sent, failed, dead).
    func outboxEvent(type: String? = nil, occurredAt: Date) throws -> OutboxEvent {
        let id = delivery.id.lowercasedString
        return try OutboxEvent(
            topic: Topic.notificationDeliveries, aggregateType: "delivery", aggregateId: id,
            type: type ?? delivery.state.eventType, subject: "deliveries/\(id)", payload: self,
            occurredAt: occurredAt)
    }
}

extension DeliveryEventPayload {
    /// `delivery.requeued.v1`'s data: the delivery back to pending; `attempt`
    /// is the number of attempts made so far.
    init(requeued: DeliveryStore.Requeued) {
        self.init(
            delivery: requeued.delivery, notificationId: requeued.delivery.notificationId, eventId: requeued.eventId,
            recipientId: requeued.recipientId, attempt: requeued.delivery.attempts, error: nil)
    }
}

/// `delivery.fell-back.v1`'s data: a delivery died, and the recipient's next
/// channel got `delivery` (pending, the same idempotency key). Keyed by the
/// new delivery, whose own attempts follow on the same key.
struct DeliveryFallbackPayload: Codable, Sendable, Equatable {
    /// The new delivery, pending.
    var delivery: Delivery
    var notificationId: UUID
    var eventId: String
    var recipientId: UUID
    /// The dead delivery and its channel.
    var fromDeliveryId: UUID
    var fromChannel: Channel
    /// Why it died (its last attempt's redacted error).
    var reason: String

    func outboxEvent(occurredAt: Date) throws -> OutboxEvent {
        let id = delivery.id.lowercasedString
        return try OutboxEvent(
            topic: Topic.notificationDeliveries, aggregateType: "delivery", aggregateId: id,
            type: EventType.deliveryFellBack, subject: "deliveries/\(id)", payload: self, occurredAt: occurredAt)
    }
}
