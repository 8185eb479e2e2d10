/// Deadline arithmetic in working days. Every answer walks day by day (a few
/// hundred steps at most for real deadlines) and throws as soon as it would
/// step into a year without data.
extension WorkingDayCalendar {
    /// The `n`-th working day after `date`, not counting `date` itself.
    ///
    /// - `n > 0`: "within 5 working days of 2025-09-30" is
    ///   `addingWorkingDays(5, to: 2025-09-30)`: the 5th working day strictly after it.
    /// - `n == 0`: `date` if it is a working day, else the next working day
    ///   (the same as `nextWorkingDay(onOrAfter:)`).
    /// - `n < 0`: the `|n|`-th working day strictly before `date`.
    ///
    /// The answer is provisional if any year from `date` to the result is.
    public func addingWorkingDays(_ n: Int, to date: LocalDate) throws(CalendarError) -> CalendarAnswer<LocalDate> {
        try requireCovered(date, date)
        var current = date
        if n == 0 {
            while !isWorkingDayUnchecked(current) { current = try step(from: current, by: 1) }
        } else {
            let direction = n > 0 ? 1 : -1
            var remaining = n.magnitude
            while remaining > 0 {
                current = try step(from: current, by: direction)
                if isWorkingDayUnchecked(current) { remaining -= 1 }
            }
        }
        return CalendarAnswer(value: current, provisionalYears: provisionalYears(between: date, and: current))
    }

    /// `date` if it is a working day, else the first working day after it.
    public func nextWorkingDay(onOrAfter date: LocalDate) throws(CalendarError) -> CalendarAnswer<LocalDate> {
        try addingWorkingDays(0, to: date)
    }

    /// `date` if it is a working day, else the last working day before it.
    public func previousWorkingDay(onOrBefore date: LocalDate) throws(CalendarError) -> CalendarAnswer<LocalDate> {
        try requireCovered(date, date)
        var current = date
        while !isWorkingDayUnchecked(current) { current = try step(from: current, by: -1) }
        return CalendarAnswer(value: current, provisionalYears: provisionalYears(between: current, and: date))
    }

    /// The number of working days `d` with `from < d <= to`: how many working
    /// days have passed since `from` when it is `to`. Zero when `from == to`.
    ///
    /// When `to` is before `from` the result is the negative of
    /// `workingDays(from: to, to: from)`. Put another way it is `F(to) − F(from)`,
    /// where `F(x)` counts the working days up to and including `x`; so counts
    /// add up (`wd(a, b) + wd(b, c) == wd(a, c)`), and for `b` a working day
    /// after `a`, `addingWorkingDays(workingDays(from: a, to: b), to: a) == b`.
    /// Both ends must be in covered years.
    public func workingDays(from: LocalDate, to: LocalDate) throws(CalendarError) -> CalendarAnswer<Int> {
        try requireCovered(from, to)
        let (low, high, sign) = from <= to ? (from, to, 1) : (to, from, -1)
        var count = 0
        var current = low
        while current < high {
            current = current.adding(days: 1)
            if isWorkingDayUnchecked(current) { count += 1 }
        }
        return CalendarAnswer(value: sign * count, provisionalYears: provisionalYears(between: low, and: high))
    }

    /// One day forward or back, refusing to enter a year without data.
    func step(from date: LocalDate, by days: Int) throws(CalendarError) -> LocalDate {
        guard date.canAdd(days: days) else {
            throw .yearNotCovered(date.year + days, covered: coveredYears)
        }
        let next = date.adding(days: days)
        guard coveredYears.contains(next.year) else { throw .yearNotCovered(next.year, covered: coveredYears) }
        return next
    }
}
