import Domain
import Foundation

/// Why a step of a sitting's life is refused (a 409 at the API).
enum MeetingTransitionError: Error, CustomStringConvertible, Equatable {
    case notScheduled(MeetingStatus)
    case notHeld(MeetingStatus)
    case minutesAlreadyPublished(String)
    case notExpected(String)
    /// Attendance is taken at the sitting: not before it starts (China time in the text).
    case notStarted(startsAt: Date)

    var description: String {
        switch self {
        case .notScheduled(let status): "the meeting is \(status.rawValue), no longer scheduled"
        case .notHeld(let status): "minutes are published after the sitting is held; the meeting is \(status.rawValue)"
        case .minutesAlreadyPublished(let number): "the minutes \(number) are already published"
        case .notExpected(let unitId): "\(unitId) is not expected at this meeting"
        case .notStarted(let startsAt):
            "attendance is recorded once the sitting has started; it starts at \(LocalDateTime(startsAt))+08:00"
        }
    }

    /// The request field the refusal is about, when one is (the problem's `field`).
    var field: String? {
        switch self {
        case .notStarted: "startsAt"
        case .notScheduled, .notHeld, .minutesAlreadyPublished, .notExpected: nil
        }
    }
}

/// What may change of a scheduled sitting.
struct MeetingRevision: Sendable, Equatable {
    var title: String?
    var startsAt: Date?
    var endsAt: Date?
    var place: String?
    var chair: Chair?
    var agenda: [AgendaItem]?
}

extension Meeting {
    /// Applies a revision; SEQUENCE goes up when attendees' calendars must
    /// change (RFC 5546 §2.1.4: a change to time, place or summary is a new
    /// REQUEST with a higher SEQUENCE). Answers stay: a unit answered for the sitting.
    /// Returns whether anything changed.
    @discardableResult
    mutating func revise(_ revision: MeetingRevision) throws(MeetingTransitionError) -> Bool {
        guard status == .scheduled else { throw .notScheduled(status) }
        let before = self
        if let title = revision.title { self.title = title }
        if let startsAt = revision.startsAt { self.startsAt = startsAt }
        if let endsAt = revision.endsAt { self.endsAt = endsAt }
        if let place = revision.place { self.place = place }
        if let chair = revision.chair { self.chair = chair }
        if let agenda = revision.agenda { self.agenda = agenda }
        let calendarChanged = before.title != title || before.startsAt != startsAt || before.endsAt != endsAt
            || before.place != place || before.chair != chair || before.agenda != agenda
        if calendarChanged { sequence += 1 }
        return calendarChanged
    }

    /// Cancels the sitting: a METHOD:CANCEL with a higher SEQUENCE.
    mutating func cancel(by subject: String, at time: Date, reason: String) throws(MeetingTransitionError) {
        guard status == .scheduled else { throw .notScheduled(status) }
        status = .cancelled
        cancelled = Cancellation(by: subject, at: time, reason: reason)
        sequence += 1
    }

    /// A unit's answer to the notice; a later answer replaces an earlier one.
    mutating func answer(unitId: String, _ answer: AttendanceAnswer) throws(MeetingTransitionError) {
        guard status == .scheduled else { throw .notScheduled(status) }
        guard let index = attendance.firstIndex(where: { $0.unitId == unitId }) else { throw .notExpected(unitId) }
        attendance[index].answer = answer
    }

    /// The units that have not answered yet.
    var unansweredUnitIds: [String] {
        attendance.filter { $0.answer == nil }.map(\.unitId)
    }

    /// Records a chase (催报) of every unit that has not answered; returns them.
    mutating func chaseUnanswered(at time: Date) throws(MeetingTransitionError) -> [String] {
        guard status == .scheduled else { throw .notScheduled(status) }
        let chased = unansweredUnitIds
        for index in attendance.indices where attendance[index].answer == nil {
            attendance[index].chasedAt.append(time)
        }
        return chased
    }

    /// Attendance as recorded at the sitting, at `time`; the sitting is then held.
    /// Units not named keep no record (a second call may complete it).
    ///
    /// Only once the sitting has started (`time` ≥ `startsAt`): a sitting
    /// marked held before it took place would restart the cadence watch (a
    /// half-year with no plenary, two months with no liaison meeting) and
    /// count in the attendance statistics, and its minutes could be published.
    /// A held sitting cannot be moved later afterwards: `revise` takes only a
    /// scheduled one, so `startsAt` stays at or before the first record.
    mutating func recordAttendance(
        _ records: [String: RecordedAttendance], at time: Date
    ) throws(MeetingTransitionError) {
        guard status == .scheduled || status == .held else { throw .notScheduled(status) }
        guard time >= startsAt else { throw .notStarted(startsAt: startsAt) }
        if minutes != nil { throw .minutesAlreadyPublished(minutes?.number ?? "") }
        for unitId in records.keys.sorted() where !attendance.contains(where: { $0.unitId == unitId }) {
            throw .notExpected(unitId)
        }
        for index in attendance.indices {
            if let record = records[attendance[index].unitId] { attendance[index].recorded = record }
        }
        status = .held
    }

    /// Publishes the minutes once, after the sitting was held.
    mutating func publish(_ minutes: Minutes) throws(MeetingTransitionError) {
        guard status == .held else { throw .notHeld(status) }
        if let existing = self.minutes { throw .minutesAlreadyPublished(existing.number) }
        self.minutes = minutes
    }
}
