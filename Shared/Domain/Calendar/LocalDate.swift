/// A calendar date with no time and no time zone ("2025-10-01"), as deadlines
/// are stated in the mechanism: a due date is a day, not an instant.
///
/// Always valid: the year is 1...9999 (so the ISO form is always four digits)
/// and the day exists in its month. Stored as a day count, so comparison,
/// hashing and day arithmetic are integer operations.
public struct LocalDate: Sendable, Hashable, Comparable {
    /// The supported years: four-digit years, the range the "YYYY-MM-DD" form can spell.
    public static let supportedYears: ClosedRange<Int> = 1...9999

    /// Days since 1970-01-01.
    let daysSinceEpoch: Int

    public var year: Int { CivilDays.civil(fromDays: daysSinceEpoch).year }
    public var month: Int { CivilDays.civil(fromDays: daysSinceEpoch).month }
    public var day: Int { CivilDays.civil(fromDays: daysSinceEpoch).day }

    /// A validated date; throws if the month or day does not exist or the year is not 1...9999.
    public init(year: Int, month: Int, day: Int) throws(LocalDateError) {
        guard Self.supportedYears.contains(year) else { throw .yearOutOfRange(year) }
        guard (1...12).contains(month) else { throw .invalidMonth(year: year, month: month) }
        guard (1...CivilDays.daysInMonth(year: year, month: month)).contains(day) else {
            throw .invalidDay(year: year, month: month, day: day)
        }
        daysSinceEpoch = CivilDays.days(year: year, month: month, day: day)
    }

    /// Internal: a day count known to lie inside `supportedYears`.
    init(daysSinceEpoch: Int) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    /// The date `days` days later (earlier if negative).
    ///
    /// Traps if the result leaves years 1...9999: no deadline or meeting gets
    /// there, so reaching it is a programming error, not an input error.
    public func adding(days: Int) -> LocalDate {
        let (result, overflow) = daysSinceEpoch.addingReportingOverflow(days)
        precondition(!overflow && Self.epochDayRange.contains(result),
                     "LocalDate.adding(days:) left the years \(Self.supportedYears)")
        return LocalDate(daysSinceEpoch: result)
    }

    /// Whole days from `self` to `other` (positive if `other` is later).
    public func days(to other: LocalDate) -> Int { other.daysSinceEpoch - daysSinceEpoch }

    /// The day of the week.
    public var weekday: Weekday {
        // 1970-01-01 was a Thursday (ISO 4); ((n % 7) + 7) % 7 keeps it non-negative.
        let offset = ((daysSinceEpoch % 7) + 7) % 7
        return Weekday(rawValue: (offset + 3) % 7 + 1)!
    }

    /// Whether `adding(days:)` would stay within the supported years.
    func canAdd(days: Int) -> Bool {
        let (result, overflow) = daysSinceEpoch.addingReportingOverflow(days)
        return !overflow && Self.epochDayRange.contains(result)
    }

    static let epochDayRange: ClosedRange<Int> =
        CivilDays.days(year: 1, month: 1, day: 1)...CivilDays.days(year: 9999, month: 12, day: 31)

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        lhs.daysSinceEpoch < rhs.daysSinceEpoch
    }
}

/// Why a date could not be made or parsed.
public enum LocalDateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text is not of the form YYYY-MM-DD (four, two and two digits).
    case malformed(String)
    case yearOutOfRange(Int)
    case invalidMonth(year: Int, month: Int)
    case invalidDay(year: Int, month: Int, day: Int)

    public var description: String {
        switch self {
        case .malformed(let text):
            "\"\(text)\" is not a date of the form YYYY-MM-DD"
        case .yearOutOfRange(let year):
            "year \(year) is outside \(LocalDate.supportedYears.lowerBound)...\(LocalDate.supportedYears.upperBound)"
        case .invalidMonth(let year, let month):
            "\(year)-\(month): there is no month \(month)"
        case .invalidDay(let year, let month, let day):
            "\(year)-\(month)-\(day): month \(month) of \(year) has no day \(day)"
        }
    }
}
