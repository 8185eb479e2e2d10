import Domain
import Foundation

/// How a due date is given: a calendar date, or a number of working days
/// from today (China time), counted by the shared working-day calendar.
enum DueSpec: Sendable, Equatable {
    case date(LocalDate)
    case workingDays(Int)

    /// The due working day. A date that is not a working day moves to the
    /// next working day (a deadline on a Sunday is met on Monday);
    /// `workingDays(n)` is the n-th working day after `today`.
    func dueDate(today: LocalDate, calendar: WorkingDayCalendar) throws(CalendarError) -> LocalDate {
        switch self {
        case .date(let date): try calendar.nextWorkingDay(onOrAfter: date).value
        case .workingDays(let n): try calendar.addingWorkingDays(n, to: today).value
        }
    }
}

/// When a task's timers fire, from its due working day: reminders when the
/// office opens N working days before it, the overdue mark when the office
/// closes on it.
struct TaskDeadlines: Sendable {
    var calendar: WorkingDayCalendar
    var officeHours: OfficeHours
    /// Working days before the due date, e.g. [3, 1].
    var reminderDays: [Int]

    /// The end of the due working day: the close of its last office period.
    func overdueAt(_ due: LocalDate) -> Date {
        DueDay.end(due, officeHours: officeHours)
    }

    /// The opening of a working day.
    func opening(_ date: LocalDate) -> Date {
        date.startOfDay(in: officeHours.timeZone).addingTimeInterval(Double(officeHours.periods.first!.start))
    }

    /// The timers of a task due on `due`, leaving out reminders whose moment
    /// is already past at `now` (a task given two days before its due date
    /// gets no three-day reminder) and those already sent.
    func timers(due: LocalDate, now: Date, sent: [Int] = []) throws(CalendarError) -> [PlannedTimer] {
        var timers: [PlannedTimer] = []
        for days in Set(reminderDays).sorted(by: >) where days > 0 && !sent.contains(days) {
            let day = try calendar.addingWorkingDays(-days, to: due).value
            let at = opening(day)
            if at > now { timers.append(PlannedTimer(kind: .reminder, workingDaysBefore: days, fireAt: at)) }
        }
        timers.append(PlannedTimer(kind: .overdue, workingDaysBefore: 0, fireAt: overdueAt(due)))
        return timers
    }
}

/// One timer of a task, before it is stored.
struct PlannedTimer: Sendable, Equatable {
    var kind: TaskTimerKind
    /// A reminder's working days before the due date; 0 for the overdue mark.
    var workingDaysBefore: Int
    var fireAt: Date
}

enum TaskTimerKind: String, Codable, Sendable, Equatable {
    case reminder
    case overdue
}
