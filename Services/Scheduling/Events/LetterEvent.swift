import Domain
import EventFlow
import Foundation

/// The letters' events on `shuangjian.scheduling.letters`, keyed by the
/// letter id. Each carries the letter's whole state under `letter`; an event
/// about one unit's track also names that unit in `letter.unitId` and its
/// due date in `letter.replyDue` — the fields the notification service's
/// `letter.issued` rule reads (docs/asyncapi.yaml, LetterIssued), so a
/// 协调函 to three units is three `letter.issued` events, one per unit.
enum LetterEvent {
    /// The payload: `{"letter": {…the letter…, "unitId", "replyDue"}, "escalationLetterId"}`.
    /// Built as a JSON object because the letter's members and the unit's
    /// two sit side by side in one object.
    static func payload(_ letter: Letter, unitId: String?, escalationLetterId: UUID?) throws -> [UInt8] {
        guard var object = try JSONSerialization.jsonObject(with: EventJSON.encoder.encode(letter)) as? [String: Any] else {
            throw EncodingError.invalidValue(letter, .init(codingPath: [], debugDescription: "a letter encodes as an object"))
        }
        if let unitId, let track = letter.addressee(unitId) {
            object["unitId"] = unitId
            if let due = track.replyDue { object["replyDue"] = due.description }
        }
        var payload: [String: Any] = ["letter": object]
        if let escalationLetterId { payload["escalationLetterId"] = escalationLetterId.uuidString }
        return Array(try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys, .withoutEscapingSlashes]))
    }

    /// An event about the whole letter (drafted, cancelled).
    static func letter(_ type: String, _ letter: Letter, at time: Date) throws -> OutboxEvent {
        try event(type, letter, unitId: nil, id: UUID(), at: time)
    }

    /// An event about `unitId`'s track.
    static func unit(
        _ type: String, _ letter: Letter, _ unitId: String, at time: Date, escalationLetterId: UUID? = nil
    ) throws -> OutboxEvent {
        try event(type, letter, unitId: unitId, id: UUID(), at: time, escalationLetterId: escalationLetterId)
    }

    /// The `letter.issued` events, one per unit, with the ids the letter
    /// recorded (the notification service's acknowledgement names them).
    static func issued(_ letter: Letter, at time: Date) throws -> [OutboxEvent] {
        try letter.addressees.map { track in
            try event(EventType.letterIssued, letter, unitId: track.unitId, id: track.issuedEventId ?? UUID(), at: time)
        }
    }

    private static func event(
        _ type: String, _ letter: Letter, unitId: String?, id: UUID, at time: Date, escalationLetterId: UUID? = nil
    ) throws -> OutboxEvent {
        let letterId = letter.id.uuidString.lowercased()
        return OutboxEvent(
            id: id, topic: Topic.schedulingLetters, aggregateType: "letter", aggregateId: letterId, type: type,
            subject: "letters/\(letterId)",
            payloadJSON: try payload(letter, unitId: unitId, escalationLetterId: escalationLetterId), occurredAt: time)
    }
}
