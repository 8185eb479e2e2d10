import Foundation
import Postgres

/// A delivery the worker has claimed (leased), with what sending it needs:
/// the notification, the recipient's name and mobile from the directory, and
/// the channel configuration that applies (the person's own, else their unit's).
struct DueDelivery: Sendable {
    var delivery: Delivery
    var message: OutboundMessage
    var recipientID: UUID
    /// The lease this claim set; recording the result requires it to be still ours.
    var leaseUntil: Date
    var endpoint: String?
    var sealedSecret: Data?
    var configEnabled: Bool

    /// The attempt this send is (1 = the first).
    var attempt: Int { delivery.attempts + 1 }

    /// Columns in the order `DeliveryClaimer.claimSQL` selects them.
    init(row: PostgresRow, leaseUntil: Date) throws {
        func text(_ column: Int) throws -> String { try row.decode(column, as: String.self) }
        guard let channel = Channel(rawValue: try text(2)) else {
            throw DeliveryRowError("unknown channel \(try text(2))")
        }
        guard let state = DeliveryState(rawValue: try text(4)) else {
            throw DeliveryRowError("unknown delivery state \(try text(4))")
        }
        guard let notificationClass = NotificationClass(rawValue: try text(13)) else {
            throw DeliveryRowError("unknown notification class \(try text(13))")
        }
        delivery = Delivery(
            id: try row.decode(0), notificationID: try row.decode(1), channel: channel,
            idempotencyKey: try text(3), state: state, attempts: try row.decode(5),
            nextAttemptAt: try row.decode(6), lastError: try row.decode(7), sentAt: try row.decode(8),
            createdAt: try row.decode(9))
        recipientID = try row.decode(12)
        message = OutboundMessage(
            idempotencyKey: delivery.idempotencyKey, eventID: try text(10), eventType: try text(11),
            recipientID: recipientID, recipientName: try row.decode(17), recipientMobile: try row.decode(18),
            notificationClass: notificationClass, title: try text(14), body: try text(15), createdAt: try row.decode(16))
        endpoint = try row.decode(19)
        sealedSecret = try row.decode(20)
        configEnabled = try row.decode(21, as: Bool?.self) ?? false
        self.leaseUntil = leaseUntil
    }
}

struct DeliveryRowError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
