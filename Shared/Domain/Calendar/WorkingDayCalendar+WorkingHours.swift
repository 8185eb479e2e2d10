import Foundation

extension WorkingDayCalendar {
    /// The working hours between two instants: the time inside `officeHours`
    /// on working days of the calendar, from `start` to `end` — the inverse
    /// of `addingWorkingHours`. Lunch, evenings, weekends and holidays do not
    /// count, so a letter issued on Friday at 17:00 and signed for on Monday
    /// at 09:00 took one working hour (half an hour each side). Zero when
    /// `end` is not after `start`.
    public func workingHours(
        from start: Date, to end: Date, officeHours: OfficeHours = .county
    ) throws(CalendarError) -> CalendarAnswer<Double> {
        guard end > start else { return CalendarAnswer(value: 0, provisionalYears: []) }
        let zone = officeHours.timeZone
        let first = LocalDate(start, in: zone)
        let last = LocalDate(end, in: zone)
        try requireCovered(first, last)
        var seconds = 0.0
        var date = first
        while date <= last {
            if isWorkingDayUnchecked(date) {
                let midnight = date.startOfDay(in: zone)
                for period in officeHours.periods {
                    let open = max(midnight.addingTimeInterval(Double(period.start)), start)
                    let close = min(midnight.addingTimeInterval(Double(period.end)), end)
                    if close > open { seconds += close.timeIntervalSince(open) }
                }
            }
            date = date.adding(days: 1)
        }
        return CalendarAnswer(value: seconds / 3600, provisionalYears: provisionalYears(between: first, and: last))
    }
}
