/// A day of the week, numbered as ISO 8601 does (Monday = 1 ... Sunday = 7),
/// because Chinese working weeks and RFC 5545's default week start (WKST=MO)
/// both begin on Monday.
public enum Weekday: Int, Sendable, Hashable, CaseIterable, Comparable, Codable {
    case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday

    /// Saturday or Sunday: a day off unless a notice makes it a make-up working day.
    public var isWeekend: Bool { self == .saturday || self == .sunday }

    /// The RFC 5545 two-letter code (`MO` ... `SU`) used in BYDAY and WKST.
    public var icalendarCode: String {
        switch self {
        case .monday: "MO"
        case .tuesday: "TU"
        case .wednesday: "WE"
        case .thursday: "TH"
        case .friday: "FR"
        case .saturday: "SA"
        case .sunday: "SU"
        }
    }

    /// Parses an RFC 5545 two-letter code, case-insensitively.
    public init?(icalendarCode code: String) {
        guard let day = Weekday.allCases.first(where: { $0.icalendarCode == code.uppercased() }) else {
            return nil
        }
        self = day
    }

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.rawValue < rhs.rawValue }
}
