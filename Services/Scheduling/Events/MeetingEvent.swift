import Domain
import EventFlow
import Foundation

/// The meetings part's events on `shuangjian.scheduling.meetings` (DESIGN.md
/// §3): each carries the whole current state of its aggregate (`meeting`,
/// `request`, `series`), so a consumer reading the topic from the beginning
/// rebuilds every sitting; a few carry what happened besides.
enum MeetingEvent {
    /// The sitting's whole state, and flat views of it that notification
    /// rules address (a recipient clause reads a list of unit ids at one path).
    struct MeetingState: Codable, Sendable {
        var meeting: Meeting
        /// 协调机制全体会议 / 联络员例会.
        var kindTitle: String
        var expectedUnitIds: [String]
        var agendaTitles: [String]
        /// With minutes: every unit a decision names (lead or assisting), and how many decisions.
        var decisionUnitIds: [String]
        var decisionCount: Int

        init(_ meeting: Meeting) {
            self.meeting = meeting
            kindTitle = meeting.kind.title
            expectedUnitIds = meeting.attendance.map(\.unitId)
            agendaTitles = meeting.agenda.map(\.title)
            let decisions = meeting.minutes?.decisions ?? []
            var units: [String] = []
            for unit in decisions.flatMap({ [$0.leadUnitId] + $0.assistingUnitIds }) where !units.contains(unit) {
                units.append(unit)
            }
            decisionUnitIds = units
            decisionCount = decisions.count
        }
    }

    struct Answered: Codable, Sendable {
        var meeting: Meeting
        var kindTitle: String
        var unitId: String
        var answer: AttendanceAnswer
    }

    struct Chased: Codable, Sendable {
        var meeting: Meeting
        var kindTitle: String
        var chasedUnitIds: [String]
    }

    struct RequestState: Codable, Sendable {
        var request: AdHocRequest
        var kindTitle: String
    }

    struct SeriesState: Codable, Sendable { var series: MeetingSeries }

    struct CadenceAlert: Codable, Sendable {
        var cadence: CadenceWatch.Status
        var kindTitle: String
        /// The notice's rule for the kind, as the alert quotes it.
        var cadenceRule: String
        var alertedAt: Date
    }

    static func meeting(_ type: String, _ meeting: Meeting) throws -> OutboxEvent {
        try event(type, meeting, payload: MeetingState(meeting))
    }

    static func answered(_ meeting: Meeting, unitId: String, answer: AttendanceAnswer) throws -> OutboxEvent {
        try event(EventType.meetingAnswered, meeting,
                  payload: Answered(meeting: meeting, kindTitle: meeting.kind.title, unitId: unitId, answer: answer))
    }

    static func chased(_ meeting: Meeting, units: [String]) throws -> OutboxEvent {
        try event(EventType.meetingChased, meeting,
                  payload: Chased(meeting: meeting, kindTitle: meeting.kind.title, chasedUnitIds: units))
    }

    private static func event(_ type: String, _ meeting: Meeting, payload: some Encodable & Sendable) throws -> OutboxEvent {
        let id = meeting.id.uuidString.lowercased()
        return try OutboxEvent(
            topic: Topic.schedulingMeetings, aggregateType: "meeting", aggregateId: id, type: type,
            subject: "meetings/\(id)", payload: payload, occurredAt: meeting.updatedAt)
    }

    static func request(_ type: String, _ request: AdHocRequest) throws -> OutboxEvent {
        let id = request.id.uuidString.lowercased()
        return try OutboxEvent(
            topic: Topic.schedulingMeetings, aggregateType: "ad-hoc-request", aggregateId: "ad-hoc-request-\(id)", type: type,
            subject: "ad-hoc-meeting-requests/\(id)", payload: RequestState(request: request, kindTitle: request.kind.title),
            occurredAt: request.updatedAt)
    }

    static func series(_ series: MeetingSeries) throws -> OutboxEvent {
        try OutboxEvent(
            topic: Topic.schedulingMeetings, aggregateType: "meeting-series", aggregateId: "series-\(series.id)",
            type: EventType.meetingSeriesSet, subject: "meeting-series/\(series.id)", payload: SeriesState(series: series),
            occurredAt: series.updatedAt)
    }

    static func cadence(_ status: CadenceWatch.Status, at time: Date) throws -> OutboxEvent {
        try OutboxEvent(
            topic: Topic.schedulingMeetings, aggregateType: "meeting-cadence", aggregateId: "cadence-\(status.kind.rawValue)",
            type: EventType.meetingCadenceAlerted, subject: "meeting-series/\(status.kind.rawValue)/cadence",
            payload: CadenceAlert(cadence: status, kindTitle: status.kind.title, cadenceRule: status.kind.cadenceRule, alertedAt: time), occurredAt: time)
    }
}
