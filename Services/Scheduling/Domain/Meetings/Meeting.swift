import Domain
import Foundation

/// One sitting of a 全体会议 or 联络员例会: when and where, who chairs it,
/// its agenda (with the departments or experts invited to an item's special
/// study), every expected unit's answer and attendance, and its minutes.
struct Meeting: Codable, Sendable, Equatable, VersionedAggregate {
    var id: UUID
    var kind: MeetingKind
    var origin: MeetingOrigin
    /// The ad hoc request it was approved from (origin `ad-hoc-approved`).
    var requestId: UUID?
    var title: String
    var startsAt: Date
    var endsAt: Date
    var place: String
    var chair: Chair
    var agenda: [AgendaItem]
    var status: MeetingStatus
    /// Units expected to attend, each with its answer and, after the sitting, its attendance.
    var attendance: [UnitAttendance]
    var minutes: Minutes?
    /// iCalendar SEQUENCE (RFC 5545 §3.8.7.4): 0 when scheduled, +1 with every
    /// change of time, place or status that attendees' calendars must follow.
    var sequence: Int
    var scheduled: Step
    var cancelled: Cancellation?
    var version: Int
    var updatedAt: Date

    struct Step: Codable, Sendable, Equatable {
        var by: String
        var at: Date
    }

    struct Cancellation: Codable, Sendable, Equatable {
        var by: String
        var at: Date
        var reason: String
    }

    /// The RFC 5545 UID: stable for the sitting's life, so a calendar client
    /// replaces, never duplicates, it.
    var icalendarUID: String { "meeting-\(id.uuidString.lowercased())@shuangjian.fangxian.gov.cn" }
}

enum MeetingStatus: String, Codable, Sendable {
    /// Notice sent, answers being collected.
    case scheduled
    /// Attendance recorded: the sitting took place.
    case held
    case cancelled
}

/// 由召集人主持或委托相关同志主持: a convener, or a person a convener delegates.
struct Chair: Codable, Sendable, Equatable {
    /// The person, when the directory knows them.
    var personId: UUID?
    var name: String
    /// The convener who delegated the chair (nil: a convener chairs).
    var delegatedBy: String?
}

struct AgendaItem: Codable, Sendable, Equatable {
    var id: UUID
    var title: String
    /// The unit that reports on the item, if any.
    var presenterUnitId: String?
    /// 可邀请相关部门或专家参与特定事项的专题研究.
    var invitations: [Invitation]
}

/// A department or expert invited to an agenda item's special study (专题研究).
struct Invitation: Codable, Sendable, Equatable {
    var kind: InviteeKind
    var name: String
    var organisation: String
    var field: String?
    var contact: String
}

enum InviteeKind: String, Codable, Sendable {
    case department, expert
}

/// One expected unit at one sitting.
struct UnitAttendance: Codable, Sendable, Equatable {
    var unitId: String
    var answer: AttendanceAnswer?
    /// When the office chased a missing answer (催报), in order.
    var chasedAt: [Date]
    /// Recorded at the sitting.
    var recorded: RecordedAttendance?
}

/// A unit's answer to a notice: attends, sends a named deputy, or absent with a reason.
struct AttendanceAnswer: Codable, Sendable, Equatable {
    var kind: AnswerKind
    /// The person who attends (the member or liaison, or the deputy).
    var attendeeName: String?
    var attendeeTitle: String?
    var reason: String?
    var by: String
    var at: Date
}

enum AnswerKind: String, Codable, Sendable {
    case attends, deputy, absent
}

struct RecordedAttendance: Codable, Sendable, Equatable {
    var present: Bool
    var attendeeName: String?
    var note: String?
    var by: String
    var at: Date
}
