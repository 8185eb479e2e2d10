import Domain
import Foundation

/// 必要时经召集人同意，可临时召开例会: the office asks for an ad hoc liaison
/// meeting; a convener approves (the sitting is scheduled) or refuses.
struct AdHocRequest: Codable, Sendable, Equatable, VersionedAggregate {
    var id: UUID
    var kind: MeetingKind
    var reason: String
    var proposedStartsAt: Date
    var proposedEndsAt: Date
    var place: String
    var agenda: [String]
    var status: AdHocStatus
    var requested: Meeting.Step
    var decided: AdHocDecision?
    /// The sitting scheduled on approval.
    var meetingId: UUID?
    var version: Int
    var updatedAt: Date
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
