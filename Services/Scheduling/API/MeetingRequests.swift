import Domain
import Foundation
import ServiceKit

/// The bodies of the meetings routes and their validation, before any write
/// (docs/openapi/scheduling.yaml states every rule here).
enum MeetingRequests {
    struct ChairBody: Codable, Sendable {
        var personId: UUID?
        var name: String
        /// Set when a convener delegates the chair: the convener.
        var delegatedBy: String?
    }

    struct InvitationBody: Codable, Sendable {
        var kind: InviteeKind
        var name: String
        var organisation: String
        var field: String?
        var contact: String
    }

    struct AgendaItemBody: Codable, Sendable {
        var title: String
        var presenterUnitId: String?
        var invitations: [InvitationBody]?
    }

    struct NewMeeting: Codable, Sendable {
        var kind: MeetingKind
        var title: String
        var startsAt: RequestTime
        var endsAt: RequestTime
        var place: String
        var chair: ChairBody
        var agenda: [AgendaItemBody]?
        /// Defaults to every active member unit.
        var expectedUnitIds: [String]?
    }

    struct Revision: Codable, Sendable {
        var title: String?
        var startsAt: RequestTime?
        var endsAt: RequestTime?
        var place: String?
        var chair: ChairBody?
        var agenda: [AgendaItemBody]?
    }

    struct Cancel: Codable, Sendable { var reason: String }

    struct Answer: Codable, Sendable {
        var unitId: String
        var answer: AnswerKind
        var attendeeName: String?
        var attendeeTitle: String?
        var reason: String?
    }

    struct AttendanceRecord: Codable, Sendable {
        var unitId: String
        var present: Bool
        var attendeeName: String?
        var note: String?
    }

    struct Attendance: Codable, Sendable { var records: [AttendanceRecord] }

    struct DeadlineBody: Codable, Sendable {
        var date: LocalDate?
        var workingDays: Int?
    }

    struct DecisionBody: Codable, Sendable {
        var text: String
        var leadUnitId: String
        var assistingUnitIds: [String]?
        var deadline: DeadlineBody
    }

    struct PublishMinutes: Codable, Sendable {
        var summary: String
        var decisions: [DecisionBody]
    }

    static let maxAgendaItems = 30
    static let maxDuration: TimeInterval = 24 * 3600

    static func chair(_ body: ChairBody, _ validation: inout Validation, field: String = "chair") -> Chair {
        var chair = Chair(personId: body.personId, name: "", delegatedBy: nil)
        validation.nested(field) { item in
            chair.name = item.text(body.name, "name", maxLength: 50)
            chair.delegatedBy = body.delegatedBy.map { item.text($0, "delegatedBy", maxLength: 50) }
        }
        return chair
    }

    static func agenda(_ items: [AgendaItemBody], _ validation: inout Validation, field: String = "agenda") -> [AgendaItem] {
        validation.check(items.count <= maxAgendaItems, field, "must have at most \(maxAgendaItems) items")
        return items.enumerated().map { index, body in
            var item = AgendaItem(id: UUID(), title: "", presenterUnitId: body.presenterUnitId, invitations: [])
            validation.nested("\(field)[\(index)]") { v in
                item.title = v.text(body.title, "title", maxLength: 500)
                let invitations = body.invitations ?? []
                v.check(invitations.count <= 20, "invitations", "must have at most 20 items")
                item.invitations = invitations.enumerated().map { number, invitation in
                    var result = Invitation(kind: invitation.kind, name: "", organisation: "", field: nil, contact: "")
                    v.nested("invitations[\(number)]") { w in
                        result.name = w.text(invitation.name, "name", maxLength: 100)
                        result.organisation = w.text(invitation.organisation, "organisation", maxLength: 100)
                        result.field = invitation.field.map { w.text($0, "field", maxLength: 100) }
                        result.contact = w.text(invitation.contact, "contact", maxLength: 100)
                    }
                    return result
                }
            }
            return item
        }
    }

    static func times(
        _ startsAt: Date, _ endsAt: Date, _ validation: inout Validation, start: String = "startsAt", end: String = "endsAt"
    ) {
        validation.check(endsAt > startsAt, end, "must be after \(start)")
        validation.check(endsAt.timeIntervalSince(startsAt) <= maxDuration, end, "must be within 24 hours of \(start)")
    }

    /// The unit ids an agenda names as presenters.
    static func presenters(_ agenda: [AgendaItem]) -> [String] {
        agenda.compactMap(\.presenterUnitId)
    }

    static func answer(_ body: Answer, by subject: String, at time: Date) throws -> AttendanceAnswer {
        var validation = Validation()
        let name = body.attendeeName.map { validation.text($0, "attendeeName", maxLength: 50) }
        let title = body.attendeeTitle.map { validation.text($0, "attendeeTitle", maxLength: 50) }
        let reason = body.reason.map { validation.text($0, "reason", maxLength: 500) }
        switch body.answer {
        case .attends: break
        case .deputy: validation.check(name != nil, "attendeeName", "is required when a deputy attends (name the deputy)")
        case .absent: validation.check(reason != nil, "reason", "is required when the unit is absent")
        }
        try validation.throwIfInvalid()
        return AttendanceAnswer(
            kind: body.answer, attendeeName: name, attendeeTitle: title, reason: body.answer == .absent ? reason : nil,
            by: subject, at: time)
    }
}
