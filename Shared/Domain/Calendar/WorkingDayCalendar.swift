/// The one calendar that says which days are working days (工作日) in China,
/// from per-year holiday data (`HolidayYear`).
///
/// A day is a working day if it is Monday–Friday and not an official day off,
/// or if it is a make-up working day (调休上班, a Saturday or Sunday). Only
/// years with data are answered; any other year throws
/// `CalendarError.yearNotCovered` rather than guessing.
///
/// A value type with no mutable state: build it once (`WorkingDayCalendar.china`)
/// and share it freely across tasks.
public struct WorkingDayCalendar: Sendable {
    /// What the data says about a day that is not an ordinary weekday/weekend.
    enum SpecialDay: Sendable, Hashable {
        case dayOff(holiday: String)
        case makeUpWorkingDay(holiday: String)
    }

    /// The years answered, consecutive.
    public let coveredYears: ClosedRange<Int>
    /// The data, by year.
    public let years: [Int: HolidayYear]
    let specialDays: [LocalDate: SpecialDay]

    /// A calendar from explicit year data (tests, or data loaded elsewhere).
    ///
    /// Each year is validated; the years must be consecutive. Where two years
    /// speak of the same day (a notice may reach into the year before), an
    /// official year wins over a provisional one, and two years of the same
    /// standing must agree.
    public init(years: [HolidayYear]) throws(HolidayDataError) {
        guard let first = years.map(\.year).min(), let last = years.map(\.year).max() else {
            throw .noYears
        }
        var byYear: [Int: HolidayYear] = [:]
        for year in years {
            try year.validate()
            guard byYear.updateValue(year, forKey: year.year) == nil else { throw .duplicateYear(year.year) }
        }
        for year in first...last where byYear[year] == nil {
            throw .missingYear(year, covered: first...last)
        }

        // Merge every file's days; remember which file said it, to settle overlaps.
        var merged: [LocalDate: (day: SpecialDay, year: HolidayYear)] = [:]
        for year in years.sorted(by: { $0.year < $1.year }) {
            for holiday in year.holidays {
                let entries = holiday.daysOff.days.map { ($0, SpecialDay.dayOff(holiday: holiday.name)) }
                    + holiday.makeUpWorkingDays.map { ($0, SpecialDay.makeUpWorkingDay(holiday: holiday.name)) }
                for (date, day) in entries {
                    guard let existing = merged[date] else {
                        merged[date] = (day, year)
                        continue
                    }
                    if existing.year.status == year.status {
                        if existing.day != day {
                            throw .conflictingFiles(date: date, years: [existing.year.year, year.year])
                        }
                    } else if year.status == .official {
                        merged[date] = (day, year)
                    }
                }
            }
        }
        coveredYears = first...last
        self.years = byYear
        specialDays = merged.mapValues(\.day)
    }

    /// Whether `year`'s data is provisional; throws if the year is not covered.
    public func isProvisional(year: Int) throws(CalendarError) -> Bool {
        guard let data = years[year] else { throw .yearNotCovered(year, covered: coveredYears) }
        return data.status == .provisional
    }

    /// The covered years whose data is provisional, ascending.
    public var provisionalYears: [Int] {
        coveredYears.filter { years[$0]?.status == .provisional }
    }

    /// Throws unless every year from `first` through `last` is covered.
    func requireCovered(_ first: LocalDate, _ last: LocalDate) throws(CalendarError) {
        for year in [first.year, last.year] where !coveredYears.contains(year) {
            throw .yearNotCovered(year, covered: coveredYears)
        }
    }

    /// The provisional years among the years of `first`...`last`.
    func provisionalYears(between first: LocalDate, and last: LocalDate) -> [Int] {
        let (low, high) = first <= last ? (first.year, last.year) : (last.year, first.year)
        return (low...high).filter { years[$0]?.status == .provisional }
    }
}
