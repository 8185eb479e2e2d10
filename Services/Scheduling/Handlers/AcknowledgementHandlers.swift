import Audit
import Domain
import EventFlow
import Foundation
import Logging
import Postgres
import ServiceKit

/// 签收 learned from the notification service: when a unit's liaison (or
/// member) acknowledges the notification of a `letter.issued` event, the
/// letter is received by that unit. The notification names the event it came
/// from (`eventId`) and the unit it reached the person through (`unitId`);
/// an office person acknowledging a fallback copy is not the unit's 签收.
enum AcknowledgementHandlers {
    static let actor = AuditActor.system("scheduling.acknowledgements")

    /// The fields of `notification.acknowledged.v1` this service reads (a tolerant reader).
    struct Acknowledged: Decodable, Sendable {
        var notification: Notification

        struct Notification: Decodable, Sendable {
            var eventId: String
            var eventType: String
            var unitId: String?
            var recipientId: UUID
            var acknowledgedAt: Date?
            var acknowledgedBy: String?
        }
    }

    static let logger = Logger(label: "scheduling.acknowledgements")

    static func register(on handlers: inout EventHandlers, now: @escaping @Sendable () -> Date) {
        handlers.on(EventType.notificationAcknowledged, Acknowledged.self) { event, connection in
            try await apply(event.payload.notification, at: event.event.time ?? now(), on: connection, logger: logger)
        }
    }

    static func apply(
        _ notification: Acknowledged.Notification, at eventTime: Date, on connection: PostgresConnection, logger: Logger
    ) async throws {
        guard notification.eventType == EventType.letterIssued, let eventId = UUID(uuidString: notification.eventId),
            let found = try await LetterStore.addressee(ofIssuedEvent: eventId, on: connection),
            notification.unitId == found.unitId,
            var letter = try await LetterStore.lock(found.letterId, on: connection)
        else { return }
        let (letterId, unitId) = (found.letterId, found.unitId)
        let at = notification.acknowledgedAt ?? eventTime
        let by = notification.acknowledgedBy ?? notification.recipientId.uuidString.lowercased()
        let changed: Bool
        do {
            changed = try letter.receive(unitId, by: by, at: at, via: .notification)
        } catch {
            // A letter cancelled or a track already past 签收: nothing to record.
            logger.debug("acknowledgement not applied", metadata: ["letter": "\(letterId)", "reason": "\(error)"])
            return
        }
        guard changed else { return }
        letter.version += 1
        letter.updatedAt = at
        try await LetterStore.update(letter, on: connection)
        try await Journal.record(
            try LetterEvent.unit(EventType.letterReceived, letter, unitId, at: at), by: actor, at: at, on: connection)
    }
}
