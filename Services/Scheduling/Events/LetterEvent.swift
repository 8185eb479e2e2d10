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
    /// The payload: `{"letter": {…the letter…, "unitId", "replyDue"}, "escalationLetterId"}`,
    /// in one pass of the event encoder (a 督办函 is drafted for every task
    /// that goes overdue: re-reading and re-writing the JSON cost more than
    /// the rest of the overdue mark).
    static func payload(_ letter: Letter, unitId: String?, escalationLetterId: UUID?) throws -> [UInt8] {
        var addressed = AddressedLetter(letter: letter)
        if let unitId, let track = letter.addressee(unitId) {
            addressed.unitId = unitId
            addressed.replyDue = track.replyDue?.description
        }
        return Array(try EventJSON.encoder.encode(Payload(letter: addressed, escalationLetterId: escalationLetterId?.uuidString)))
    }

    private struct Payload: Encodable {
        var letter: AddressedLetter
        var escalationLetterId: String?
    }

    /// The letter's members and, beside them in the same object, the unit's two.
    private struct AddressedLetter: Encodable {
        var letter: Letter
        var unitId: String?
        var replyDue: String?

        enum Keys: String, CodingKey { case unitId, replyDue }

        func encode(to encoder: any Encoder) throws {
            try letter.encode(to: encoder)
            // The same keyed container the letter wrote into: one object.
            var container = encoder.container(keyedBy: Keys.self)
            try container.encodeIfPresent(unitId, forKey: .unitId)
            try container.encodeIfPresent(replyDue, forKey: .replyDue)
        }
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
