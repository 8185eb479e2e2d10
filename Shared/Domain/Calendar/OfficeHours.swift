import Foundation

/// The county offices' working hours, for timers counted in working hours
/// (e.g. "escalate if not signed for within 4 working hours").
///
/// A working hour is an hour inside one of the day's periods on a working day
/// of the calendar; lunch, evenings, weekends and holidays do not count.
public struct OfficeHours: Sendable, Hashable {
    /// One period of the day, from `start` (inclusive) to `end` (exclusive), in
    /// seconds after local midnight.
    public struct Period: Sendable, Hashable {
        public let start: Int
        public let end: Int

        /// `Period(8, 30, to: 12, 0)` is 08:30–12:00.
        public init(_ startHour: Int, _ startMinute: Int, to endHour: Int, _ endMinute: Int) {
            start = startHour * 3600 + startMinute * 60
            end = endHour * 3600 + endMinute * 60
            precondition(0 <= start && start < end && end <= 86_400, "an office period is a non-empty part of one day")
        }
    }

    /// The periods of a working day, in order and not overlapping.
    public let periods: [Period]
    public let timeZone: TimeZone

    public init(periods: [Period], timeZone: TimeZone = ChinaTime.timeZone) {
        precondition(!periods.isEmpty && zip(periods, periods.dropFirst()).allSatisfy { $0.end <= $1.start },
                     "office periods must be in order and must not overlap")
        self.periods = periods
        self.timeZone = timeZone
    }

    /// 08:30–12:00 and 14:30–17:30, China Standard Time: 6.5 working hours a day.
    public static let county = OfficeHours(periods: [Period(8, 30, to: 12, 0), Period(14, 30, to: 17, 30)])
}

extension WorkingDayCalendar {
    /// The instant when `hours` working hours have passed since `instant`.
    ///
    /// Time counts only inside `officeHours` on working days. If `instant` is
    /// outside office hours, counting starts when the office next opens; so
    /// `hours == 0` gives `instant` itself during office hours, else the next
    /// opening. A count that runs out exactly at a period's end gives that end
    /// (e.g. 12:00), not the next opening. `hours` must not be negative.
    public func addingWorkingHours(
        _ hours: Int, to instant: Date, officeHours: OfficeHours = .county
    ) throws(CalendarError) -> CalendarAnswer<Date> {
        precondition(hours >= 0, "addingWorkingHours counts forward only")
        let zone = officeHours.timeZone
        let startDate = LocalDate(instant, in: zone)
        try requireCovered(startDate, startDate)
        var date = startDate
        // Seconds after local midnight of `date` (fractions kept).
        var position = instant.timeIntervalSince(date.startOfDay(in: zone))
        var remaining = Double(hours) * 3600
        while true {
            if isWorkingDayUnchecked(date) {
                for period in officeHours.periods where Double(period.end) > position {
                    let begin = max(position, Double(period.start))
                    let available = Double(period.end) - begin
                    if remaining <= available {
                        let result = date.startOfDay(in: zone).addingTimeInterval(begin + remaining)
                        return CalendarAnswer(value: result,
                                              provisionalYears: provisionalYears(between: startDate, and: date))
                    }
                    remaining -= available
                    position = Double(period.end)
                }
            }
            date = try step(from: date, by: 1)
            position = 0
        }
    }
}
