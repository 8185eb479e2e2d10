/// Why the calendar cannot answer a question about a date.
public enum CalendarError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The date's year has no holiday data: no notice loaded and no provisional
    /// file. Guessing would put a wrong due date on a task, so the calendar refuses.
    case yearNotCovered(Int, covered: ClosedRange<Int>)

    public var description: String {
        switch self {
        case .yearNotCovered(let year, let covered):
            "the working-day calendar has no data for \(year): it covers "
                + "\(covered.lowerBound)–\(covered.upperBound). A year is added by adding its data file "
                + "Shared/Domain/Holidays/\(year).json (see the README there)."
        }
    }
}
