import Domain
import Foundation

/// 必要时经召集人同意，可临时召开例会: the office asks for an ad hoc liaison
/// meeting; a convener approves (the sitting is scheduled) or refuses. The
/// inspection service asks the same way for a 专题研判 session on a red
/// warning (`specialStudy`): it names the session, the units to attend and
/// the day to hold it by, and the approving convener sets the time and place.
struct AdHocRequest: Codable, Sendable, Equatable, VersionedAggregate {
    var id: UUID
    var kind: MeetingKind
    /// The sitting's title when the requester gave one (a 专题研判 session);
    /// otherwise the sitting is 临时联络员例会.
    var title: String?
    var reason: String
    /// nil for a 专题研判 request until a convener approves it with a time and place.
    var proposedStartsAt: Date?
    var proposedEndsAt: Date?
    var place: String?
    var agenda: [String]
    /// The units expected at the sitting (lead first); nil: every active unit.
    var unitIds: [String]?
    /// What the inspection service asked for, when it asked.
    var specialStudy: SpecialStudyOrigin?
    var status: AdHocStatus
    var requested: Meeting.Step
    var decided: AdHocDecision?
    /// The sitting scheduled on approval.
    var meetingId: UUID?
    var version: Int
    var updatedAt: Date
}

/// The warning a 专题研判 request is for (专题研判制度: 作出预警，及时处置),
/// as the inspection service's `special-study.requested.v1` named it.
struct SpecialStudyOrigin: Codable, Sendable, Equatable {
    /// The event's source (`/shuangjian/inspection`): who asked.
    var source: String
    /// The inspection service's request id (also this request's id).
    var requestId: UUID
    var warningId: UUID
    var level: WarningLevel
    var subjectName: String
    /// Hold the session by the end of this working day.
    var holdBy: LocalDate
    /// `holdBy` rests on a provisional holiday year (暂定).
    var provisional: Bool
    /// The inspection service's own account of why (its score explanation), kept as it came.
    var reason: String
}

enum AdHocStatus: String, Codable, Sendable {
    case pending, approved, refused
}

struct AdHocDecision: Codable, Sendable, Equatable {
    var approved: Bool
    var by: String
    var at: Date
    var reason: String?
}

enum AdHocTransitionError: Error, CustomStringConvertible, Equatable {
    case alreadyDecided(AdHocStatus)

    var description: String {
        switch self {
        case .alreadyDecided(let status): "the request is already \(status.rawValue)"
        }
    }
}

extension AdHocRequest {
    /// A convener's decision, once.
    mutating func decide(approved: Bool, by subject: String, at time: Date, reason: String?) throws(AdHocTransitionError) {
        guard status == .pending else { throw .alreadyDecided(status) }
        status = approved ? .approved : .refused
        decided = AdHocDecision(approved: approved, by: subject, at: time, reason: reason)
    }
}
