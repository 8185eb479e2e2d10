/// Questions about a single day.
extension WorkingDayCalendar {
    /// What kind of day a date is.
    public enum DayKind: Sendable, Hashable {
        /// Monday–Friday with no holiday.
        case workday
        /// Saturday or Sunday with no holiday and no make-up work.
        case weekend
        /// A day off (放假) of the named holiday; it may fall on a weekend.
        case holiday(String)
        /// A weekend day worked in exchange for the named holiday (调休上班).
        case makeUpWorkingDay(String)

        public var isWorkingDay: Bool {
            switch self {
            case .workday, .makeUpWorkingDay: true
            case .weekend, .holiday: false
            }
        }

        /// The holiday's name if this is one of its days off.
        public var holidayName: String? {
            if case .holiday(let name) = self { return name }
            return nil
        }
    }

    /// What kind of day `date` is, flagged provisional if its year is.
    public func day(_ date: LocalDate) throws(CalendarError) -> CalendarAnswer<DayKind> {
        try requireCovered(date, date)
        return CalendarAnswer(value: kind(of: date), provisionalYears: provisionalYears(between: date, and: date))
    }

    /// Whether `date` is a working day (工作日).
    public func isWorkingDay(_ date: LocalDate) throws(CalendarError) -> CalendarAnswer<Bool> {
        try day(date).map(\.isWorkingDay)
    }

    /// The name of the holiday `date` is a day off of ("春节"), or nil for any
    /// other day, including an ordinary weekend.
    public func isHoliday(_ date: LocalDate) throws(CalendarError) -> CalendarAnswer<String?> {
        try day(date).map(\.holidayName)
    }

    /// The kind of a date already known to be covered.
    func kind(of date: LocalDate) -> DayKind {
        switch specialDays[date] {
        case .dayOff(let name): .holiday(name)
        case .makeUpWorkingDay(let name): .makeUpWorkingDay(name)
        case nil: date.weekday.isWeekend ? .weekend : .workday
        }
    }

    /// Working-day test for a date whose year has been checked.
    func isWorkingDayUnchecked(_ date: LocalDate) -> Bool { kind(of: date).isWorkingDay }
}
