import Domain
import Foundation

/// 原则上每半年召开一次全体会议，每两个月召开一次联络员例会: whether each
/// kind's cadence holds, and when to alert the office and the conveners.
///
/// The cadence runs from the last sitting held (or, before the first one,
/// from when the watch started): it is missed when `cadenceMonths` pass with
/// no sitting held. A sitting scheduled before that day does not silence the
/// alert — it is only held when attendance is recorded — but it is reported,
/// so the reader sees it is in hand.
struct CadenceWatch: Sendable {
    var calendar: WorkingDayCalendar
    /// Alert this many working days before the cadence is missed.
    var alertWorkingDays: Int

    struct Status: Codable, Sendable, Equatable {
        var kind: MeetingKind
        /// The last sitting held, if any.
        var lastHeldOn: LocalDate?
        /// The day the cadence is missed if nothing is held before it.
        var dueBy: LocalDate
        /// The day the alert goes out (`alertWorkingDays` working days before `dueBy`).
        var alertOn: LocalDate
        /// The next scheduled sitting on or before `dueBy`, if any.
        var nextScheduledOn: LocalDate?
        var state: State
    }

    enum State: String, Codable, Sendable {
        /// Nothing to say yet.
        case onTrack = "on-track"
        /// Within the alert window, nothing scheduled in time.
        case dueSoon = "due-soon"
        /// Within the alert window, with a sitting scheduled in time.
        case scheduledInTime = "scheduled-in-time"
        /// `dueBy` passed with no sitting held.
        case missed
    }

    /// - Parameters:
    ///   - since: when the watch began (the mechanism's founding, or the series' start),
    ///     the reference before any sitting was held.
    func status(
        of kind: MeetingKind, lastHeldOn: LocalDate?, since: LocalDate, nextScheduledOn: LocalDate?, today: LocalDate
    ) throws(CalendarError) -> Status {
        let reference = lastHeldOn ?? since
        let dueBy = reference.adding(months: kind.cadenceMonths)
        let alertOn: LocalDate
        do {
            alertOn = try calendar.addingWorkingDays(-alertWorkingDays, to: dueBy).value
        } catch {
            // A due day before the holiday data's first year was missed long ago:
            // there is no alert day to compute, only the miss to report.
            guard dueBy < today else { throw error }
            alertOn = dueBy
        }
        let inTime = nextScheduledOn.flatMap { $0 <= dueBy ? $0 : nil }
        let state: State
        if today > dueBy {
            state = .missed
        } else if today >= alertOn {
            state = inTime == nil ? .dueSoon : .scheduledInTime
        } else {
            state = .onTrack
        }
        return Status(kind: kind, lastHeldOn: lastHeldOn, dueBy: dueBy, alertOn: alertOn, nextScheduledOn: inTime, state: state)
    }
}
