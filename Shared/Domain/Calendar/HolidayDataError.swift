/// Why holiday data could not be loaded. These are faults in the data files
/// (caught by the unit tests before a release), never in a caller's request.
public enum HolidayDataError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The bundled `Holidays` resource directory was not found.
    case resourcesMissing
    /// A file could not be read or decoded.
    case unreadable(file: String, reason: String)
    /// `2026.json` must hold `"year": 2026`.
    case fileNameMismatch(file: String, year: Int)
    case invalidYear(Int)
    case noYears
    case duplicateYear(Int)
    /// The years must be consecutive, so that counting across them never
    /// silently skips a year without data.
    case missingYear(Int, covered: ClosedRange<Int>)
    case emptyRange(year: Int, holiday: String, from: LocalDate, to: LocalDate)
    case dateFarFromYear(year: Int, holiday: String, date: LocalDate)
    case makeUpDayNotOnWeekend(year: Int, holiday: String, date: LocalDate)
    case dayListedTwice(date: LocalDate, first: String, second: String)
    /// Two files of the same standing say different things about one day.
    case conflictingFiles(date: LocalDate, years: [Int])

    public var description: String {
        switch self {
        case .resourcesMissing:
            "the Holidays resource directory is missing from the Domain bundle"
        case .unreadable(let file, let reason):
            "holiday file \(file) cannot be read: \(reason)"
        case .fileNameMismatch(let file, let year):
            "holiday file \(file) holds year \(year); it must be named \(year).json"
        case .invalidYear(let year):
            "holiday data for year \(year): not a supported year"
        case .noYears:
            "no holiday data: at least one year's file is needed"
        case .duplicateYear(let year):
            "holiday data for \(year) is given twice"
        case .missingYear(let year, let covered):
            "holiday data covers \(covered.lowerBound)–\(covered.upperBound) but has no file for \(year); the years must be consecutive"
        case .emptyRange(let year, let holiday, let from, let to):
            "\(year) \(holiday): days off from \(from) to \(to) is an empty range"
        case .dateFarFromYear(let year, let holiday, let date):
            "\(year) \(holiday): \(date) is not in or next to \(year)"
        case .makeUpDayNotOnWeekend(let year, let holiday, let date):
            "\(year) \(holiday): make-up working day \(date) is a \(date.weekday), already a working day"
        case .dayListedTwice(let date, let first, let second):
            "\(date) is listed under both \(first) and \(second)"
        case .conflictingFiles(let date, let years):
            "the holiday files for \(years.map(String.init).joined(separator: " and ")) disagree about \(date)"
        }
    }
}
