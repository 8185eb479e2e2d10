import Domain
import Foundation

/// The office's plan for one kind of sitting (会议决策制度: a plenary in
/// principle every half year, a liaison meeting every two months): a
/// recurrence (DTSTART + RRULE, Asia/Shanghai) whose occurrences are moved
/// to the next working day, with the usual place and length.
///
/// One series per kind; its occurrences are proposals, a sitting exists only
/// once the office schedules it (`POST /v1/meetings` with the occurrence).
struct MeetingSeries: Codable, Sendable, Equatable, VersionedAggregate {
    /// The kind's raw value: one series per kind.
    var id: String { kind.rawValue }
    var kind: MeetingKind
    /// DTSTART, local time in Asia/Shanghai.
    var start: LocalDateTime
    /// The RRULE's text, e.g. `FREQ=MONTHLY;INTERVAL=6`.
    var rule: String
    var place: String
    var durationMinutes: Int
    var version: Int
    var updatedAt: Date
    var updatedBy: String

    /// The parsed recurrence (the rule was checked when the series was set).
    func recurrence() throws(RecurrenceRuleError) -> Recurrence {
        Recurrence(start: start, rule: try RecurrenceRule(parsing: rule))
    }

    /// The next `limit` occurrences on or after `from`, each moved off a day
    /// when nobody is in the office.
    func upcoming(from: LocalDate, limit: Int, calendar: WorkingDayCalendar) throws -> [Recurrence.Occurrence] {
        try recurrence().occurrences(from: from, limit: limit, nonWorkingDays: .moveToNextWorkingDay(calendar))
    }
}
