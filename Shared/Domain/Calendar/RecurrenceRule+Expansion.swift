/// The dates a rule produces, period by period (RFC 5545 §3.3.10 for the
/// WEEKLY and MONTHLY subset). DTSTART, COUNT, UNTIL and EXDATE are applied by
/// `Recurrence`; this only knows which days of each week or month match.
extension RecurrenceRule {
    /// An endless, ascending stream of the rule's dates from the period that
    /// contains `start`; it ends only when it would leave year 9999, so a rule
    /// that matches nothing (BYMONTHDAY=30 in February only) still terminates.
    struct DateIterator: IteratorProtocol {
        let rule: RecurrenceRule
        let start: LocalDate
        /// Months since year 0 (MONTHLY) or the first day of the week (WEEKLY) of the next period.
        private var nextMonthIndex: Int
        private var nextWeekStart: LocalDate?
        private var pending: [LocalDate] = []
        private var pendingIndex = 0

        init(rule: RecurrenceRule, start: LocalDate) {
            self.rule = rule
            self.start = start
            nextMonthIndex = start.year * 12 + start.month - 1
            let weekStart = rule.weekStart ?? .monday
            let offset = (start.weekday.rawValue - weekStart.rawValue + 7) % 7
            nextWeekStart = start.canAdd(days: -offset) ? start.adding(days: -offset) : nil
        }

        mutating func next() -> LocalDate? {
            while pendingIndex == pending.count {
                guard let period = nextPeriod() else { return nil }
                pending = period
                pendingIndex = 0
            }
            defer { pendingIndex += 1 }
            return pending[pendingIndex]
        }

        /// The matching dates of the next period (possibly none), or nil past year 9999.
        private mutating func nextPeriod() -> [LocalDate]? {
            switch rule.frequency {
            case .monthly:
                let year = nextMonthIndex / 12, month = nextMonthIndex % 12 + 1
                guard year <= LocalDate.supportedYears.upperBound else { return nil }
                let (advanced, overflow) = nextMonthIndex.addingReportingOverflow(rule.interval)
                nextMonthIndex = overflow ? Int.max : advanced
                return rule.monthDates(year: year, month: month, start: start)
            case .weekly:
                guard let weekStart = nextWeekStart, weekStart.canAdd(days: 6) else { return nil }
                let step = rule.interval.multipliedReportingOverflow(by: 7)
                nextWeekStart = !step.overflow && weekStart.canAdd(days: step.partialValue)
                    ? weekStart.adding(days: step.partialValue) : nil
                return rule.weekDates(weekStart: weekStart, start: start)
            }
        }
    }

    /// The matching days of one month, ascending.
    ///
    /// BYMONTHDAY picks days (negative from the end) and BYDAY then keeps those
    /// on a listed weekday (RFC 5545: BYDAY limits when BYMONTHDAY is present);
    /// BYDAY alone picks every listed weekday or the n-th one; neither picks
    /// DTSTART's day. A day the month lacks (the 31st of April, the 5th Friday)
    /// is skipped, never moved, as RFC 5545 requires.
    func monthDates(year: Int, month: Int, start: LocalDate) -> [LocalDate] {
        let length = CivilDays.daysInMonth(year: year, month: month)
        let first = (try? LocalDate(year: year, month: month, day: 1))!
        let dayNumbers: [Int]
        if !byMonthDay.isEmpty {
            dayNumbers = byMonthDay
                .map { $0 > 0 ? $0 : length + $0 + 1 }
                .filter { (1...length).contains($0) }
                .filter { day in byDay.isEmpty || byDay.contains { matches($0, day: day, first: first, length: length) } }
        } else if !byDay.isEmpty {
            dayNumbers = (1...length).filter { day in byDay.contains { matches($0, day: day, first: first, length: length) } }
        } else {
            dayNumbers = start.day <= length ? [start.day] : []
        }
        return Set(dayNumbers).sorted().map { first.adding(days: $0 - 1) }
    }

    /// Whether day `day` of a month (starting on `first`, `length` days long)
    /// is the weekday of `entry`, and the n-th such day if it has an ordinal.
    private func matches(_ entry: WeekdayEntry, day: Int, first: LocalDate, length: Int) -> Bool {
        guard first.adding(days: day - 1).weekday == entry.weekday else { return false }
        guard let ordinal = entry.ordinal else { return true }
        return ordinal > 0 ? (day - 1) / 7 + 1 == ordinal : (length - day) / 7 + 1 == -ordinal
    }

    /// The matching days of the week starting on `weekStart`: the BYDAY
    /// weekdays, or DTSTART's weekday.
    func weekDates(weekStart: LocalDate, start: LocalDate) -> [LocalDate] {
        let weekdays = byDay.isEmpty ? [start.weekday] : byDay.map(\.weekday)
        let offsets = Set(weekdays.map { ($0.rawValue - weekStart.weekday.rawValue + 7) % 7 })
        return offsets.sorted().map { weekStart.adding(days: $0) }
    }
}
