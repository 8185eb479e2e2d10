/// One year's official days off and make-up working days: the decoded form of
/// one `Holidays/YYYY.json` file (format in `Holidays/README.md`).
///
/// The calendar's facts are data, not code: a new year's State Council notice
/// (国务院办公厅关于YYYY年部分节假日安排的通知) is added by adding its file.
public struct HolidayYear: Sendable, Hashable, Codable {
    /// Whether the days come from the published notice or were computed
    /// before it appeared.
    public enum Status: String, Sendable, Hashable, Codable {
        /// Transcribed from the State Council notice for the year.
        case official
        /// Computed from the statutory holidays alone (《全国年节及纪念日放假办法》)
        /// because the notice is not published yet: weekends, no 调休, no
        /// moved days. Every answer that depends on it is flagged provisional.
        case provisional
    }

    /// Where the days come from, so a reader can check them against the notice.
    public struct Source: Sendable, Hashable, Codable {
        /// The notice's title (or, for a provisional year, the regulation used).
        public var title: String
        /// The document number, e.g. "国办发明电〔2024〕12号", where known.
        public var number: String?
        /// The date the notice was issued, where known.
        public var published: LocalDate?
        /// Anything a maintainer should know (e.g. how a provisional year was made).
        public var note: String?

        public init(title: String, number: String? = nil, published: LocalDate? = nil, note: String? = nil) {
            self.title = title
            self.number = number
            self.published = published
            self.note = note
        }
    }

    /// A run of consecutive days, both ends included ("1月28日至2月4日").
    public struct DayRange: Sendable, Hashable, Codable {
        public var from: LocalDate
        public var to: LocalDate

        public init(from: LocalDate, to: LocalDate) {
            self.from = from
            self.to = to
        }

        /// Every day of the range in order; empty if `to` is before `from`.
        public var days: [LocalDate] {
            guard from <= to else { return [] }
            return (0...from.days(to: to)).map { from.adding(days: $0) }
        }
    }

    /// One holiday of the notice: its days off (放假) and the weekend days
    /// worked in exchange (调休上班).
    public struct Holiday: Sendable, Hashable, Codable {
        /// The Chinese name as the notice writes it, e.g. "春节", "国庆节、中秋节".
        public var name: String
        public var daysOff: DayRange
        public var makeUpWorkingDays: [LocalDate]

        public init(name: String, daysOff: DayRange, makeUpWorkingDays: [LocalDate] = []) {
            self.name = name
            self.daysOff = daysOff
            self.makeUpWorkingDays = makeUpWorkingDays
        }
    }

    public var year: Int
    public var status: Status
    public var source: Source
    public var holidays: [Holiday]

    public init(year: Int, status: Status, source: Source, holidays: [Holiday]) {
        self.year = year
        self.status = status
        self.source = source
        self.holidays = holidays
    }
}

extension HolidayYear {
    /// Checks the file on its own: ranges in order, dates in or next to the
    /// year (a notice may start 元旦 on 12-30 of the year before, as the 2019
    /// one did), make-up days on weekends, no day listed twice.
    public func validate() throws(HolidayDataError) {
        guard LocalDate.supportedYears.contains(year) else { throw .invalidYear(year) }
        var seen: [LocalDate: String] = [:]
        for holiday in holidays {
            let range = holiday.daysOff
            guard range.from <= range.to else {
                throw .emptyRange(year: year, holiday: holiday.name, from: range.from, to: range.to)
            }
            for day in [range.from, range.to] + holiday.makeUpWorkingDays where abs(day.year - year) > 1 {
                throw .dateFarFromYear(year: year, holiday: holiday.name, date: day)
            }
            for day in holiday.makeUpWorkingDays where !day.weekday.isWeekend {
                throw .makeUpDayNotOnWeekend(year: year, holiday: holiday.name, date: day)
            }
            for day in range.days + holiday.makeUpWorkingDays {
                if let other = seen[day] {
                    throw .dayListedTwice(date: day, first: other, second: holiday.name)
                }
                seen[day] = holiday.name
            }
        }
    }
}
