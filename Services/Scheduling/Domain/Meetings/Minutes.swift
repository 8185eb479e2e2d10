import Domain
import Foundation

/// 会议纪要: published once, with its number and the decisions (决定事项).
struct Minutes: Codable, Sendable, Equatable {
    /// E.g. 房双减纪〔2026〕1号: numbered per year without gaps (the format is configuration).
    var number: String
    var year: Int
    var sequence: Int
    var summary: String
    var decisions: [Decision]
    var publishedBy: String
    var publishedAt: Date
}

/// 决定事项: what the sitting decided, who leads it, who assists, by when.
/// At publication each becomes a task for the lead unit.
struct Decision: Codable, Sendable, Equatable {
    var id: UUID
    var text: String
    var leadUnitId: String
    var assistingUnitIds: [String]
    var deadline: Deadline
    /// The working day it is due, computed at publication.
    var dueDate: LocalDate
    /// Whether `dueDate` rests on a provisional holiday year (shown as 暂定).
    var dueDateProvisional: Bool
    /// The task the decision became, once the tasks part created it.
    var taskId: UUID?
}

/// A date, or N working days from publication.
struct Deadline: Codable, Sendable, Equatable {
    var date: LocalDate?
    var workingDays: Int?

    /// The due working day: a date falling on a day off moves to the next working day.
    func dueDate(publishedOn day: LocalDate, calendar: WorkingDayCalendar) throws(CalendarError) -> CalendarAnswer<LocalDate> {
        if let workingDays { return try calendar.addingWorkingDays(workingDays, to: day) }
        return try calendar.nextWorkingDay(onOrAfter: date ?? day)
    }
}
