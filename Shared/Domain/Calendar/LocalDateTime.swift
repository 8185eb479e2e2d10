import Foundation

/// A date and a wall-clock time with no zone attached ("2025-10-09 09:30"),
/// the way a meeting's start is agreed. `instant(in:)` pins it to a zone;
/// the zone of a `Recurrence` is Asia/Shanghai.
public struct LocalDateTime: Sendable, Hashable, Comparable {
    public let date: LocalDate
    public let hour: Int
    public let minute: Int
    public let second: Int

    /// Validated: hour 0...23, minute 0...59, second 0...59 (no leap second,
    /// as RFC 5545 recurrences never need one).
    public init(date: LocalDate, hour: Int, minute: Int, second: Int = 0) throws(LocalDateTimeError) {
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else {
            throw .invalidTime(hour: hour, minute: minute, second: second)
        }
        self.init(uncheckedDate: date, hour: hour, minute: minute, second: second)
    }

    /// Internal: components already known to be valid.
    init(uncheckedDate date: LocalDate, hour: Int, minute: Int, second: Int) {
        self.date = date
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// Seconds since midnight.
    public var secondOfDay: Int { hour * 3600 + minute * 60 + second }

    /// The same time of day on another date.
    public func on(_ other: LocalDate) -> LocalDateTime {
        LocalDateTime(uncheckedDate: other, hour: hour, minute: minute, second: second)
    }

    /// The wall-clock time of `instant` in `timeZone` (China Standard Time by default).
    /// Fractions of a second are dropped. Traps for an instant outside years 1...9999.
    public init(_ instant: Date, in timeZone: TimeZone = ChinaTime.timeZone) {
        let local = instant.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: instant))
        let dayCount = (local / 86_400).rounded(.down)
        precondition(dayCount >= Double(LocalDate.epochDayRange.lowerBound) && dayCount <= Double(LocalDate.epochDayRange.upperBound),
                     "the instant \(instant) is outside the years \(LocalDate.supportedYears)")
        let days = Int(dayCount)
        let seconds = Int((local - Double(days) * 86_400).rounded(.down))
        self.init(uncheckedDate: LocalDate(daysSinceEpoch: days),
                  hour: seconds / 3600, minute: seconds / 60 % 60, second: seconds % 60)
    }

    /// The instant this wall-clock time denotes in `timeZone`.
    ///
    /// The zone offset is looked up at the instant itself (two passes), which
    /// is exact wherever the offset is constant for the day, as in China.
    public func instant(in timeZone: TimeZone = ChinaTime.timeZone) -> Date {
        let wall = Double(date.daysSinceEpoch * 86_400 + secondOfDay)
        var guess = Date(timeIntervalSince1970: wall - Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: wall))))
        guess = Date(timeIntervalSince1970: wall - Double(timeZone.secondsFromGMT(for: guess)))
        return guess
    }

    public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool {
        (lhs.date, lhs.secondOfDay) < (rhs.date, rhs.secondOfDay)
    }
}

/// Why a date-time could not be made or parsed.
public enum LocalDateTimeError: Error, Sendable, Hashable, CustomStringConvertible {
    case malformed(String)
    case invalidTime(hour: Int, minute: Int, second: Int)
    case invalidDate(LocalDateError)

    public var description: String {
        switch self {
        case .malformed(let text):
            "\"\(text)\" is not a date-time of the form YYYY-MM-DDTHH:MM:SS (or RFC 5545 YYYYMMDDTHHMMSS)"
        case .invalidTime(let hour, let minute, let second):
            "\(hour):\(minute):\(second) is not a time of day"
        case .invalidDate(let error):
            error.description
        }
    }
}
