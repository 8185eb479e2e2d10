import Foundation

/// The subset of an RFC 5545 recurrence rule (RRULE) that meeting cadences use:
/// `FREQ=WEEKLY|MONTHLY;INTERVAL=n;BYMONTHDAY=...;BYDAY=...;WKST=..;COUNT=n|UNTIL=...`.
///
/// Plenary meetings are `FREQ=MONTHLY;INTERVAL=6`, liaison meetings
/// `FREQ=MONTHLY;INTERVAL=2`. Anything else RFC 5545 allows (FREQ=DAILY,
/// BYSETPOS, BYHOUR, ...) is rejected with an error naming the part, so a rule
/// is never silently read as something it does not say.
///
/// A rule is always valid: the initializer and the parser check it.
public struct RecurrenceRule: Sendable, Hashable {
    public enum Frequency: String, Sendable, Hashable, CaseIterable {
        case weekly = "WEEKLY"
        case monthly = "MONTHLY"
    }

    /// A BYDAY entry: a weekday, with an ordinal for MONTHLY rules
    /// (`1MO` = first Monday of the month, `-1FR` = last Friday).
    public struct WeekdayEntry: Sendable, Hashable {
        /// nil = every such weekday of the period; 1...5 from the start of the
        /// month, -1...-5 from its end.
        public let ordinal: Int?
        public let weekday: Weekday

        public init(_ weekday: Weekday, ordinal: Int? = nil) {
            self.ordinal = ordinal
            self.weekday = weekday
        }

        /// "MO", "1MO", "-1FR".
        public var icalendarText: String { (ordinal.map(String.init) ?? "") + weekday.icalendarCode }
    }

    /// The UNTIL bound, inclusive, in the form it was written: RFC 5545 wants
    /// UTC when DTSTART has a time zone, but dates and local times occur in the wild.
    public enum Until: Sendable, Hashable {
        /// `UNTIL=20261231`: occurrences on or before that day.
        case date(LocalDate)
        /// `UNTIL=20261231T093000`: a wall-clock time in the recurrence's zone.
        case localTime(LocalDateTime)
        /// `UNTIL=20261231T013000Z`: an instant.
        case utc(Date)
    }

    /// How the recurrence ends. COUNT and UNTIL exclude each other (RFC 5545
    /// §3.3.10), so they are one choice.
    public enum End: Sendable, Hashable {
        case never
        /// This many occurrences, DTSTART being the first (EXDATEs still count).
        case count(Int)
        case until(Until)
    }

    public let frequency: Frequency
    /// Every `interval`-th week or month; at least 1.
    public let interval: Int
    /// Days of the month, 1...31 or -31...-1 (-1 = last day); MONTHLY only.
    public let byMonthDay: [Int]
    public let byDay: [WeekdayEntry]
    public let end: End
    /// WKST, the first day of the week for WEEKLY rules with INTERVAL > 1;
    /// nil means RFC 5545's default, Monday.
    public let weekStart: Weekday?

    public init(
        frequency: Frequency, interval: Int = 1, byMonthDay: [Int] = [], byDay: [WeekdayEntry] = [],
        end: End = .never, weekStart: Weekday? = nil
    ) throws(RecurrenceRuleError) {
        guard interval >= 1 else {
            throw .invalidValue(part: "INTERVAL", value: String(interval), reason: "it must be a positive integer")
        }
        if case .count(let count) = end, count < 1 {
            throw .invalidValue(part: "COUNT", value: String(count), reason: "it must be a positive integer")
        }
        if !byMonthDay.isEmpty && frequency == .weekly {
            throw .partNotAllowed(part: "BYMONTHDAY", frequency: frequency.rawValue)
        }
        for day in byMonthDay where day == 0 || !(-31...31).contains(day) {
            throw .invalidValue(part: "BYMONTHDAY", value: String(day), reason: "a month day is 1...31 or -31...-1")
        }
        for entry in byDay {
            guard let ordinal = entry.ordinal else { continue }
            if frequency == .weekly {
                throw .invalidValue(part: "BYDAY", value: entry.icalendarText,
                                    reason: "an ordinal weekday (like 1MO) needs FREQ=MONTHLY")
            }
            if ordinal == 0 || !(-5...5).contains(ordinal) {
                throw .invalidValue(part: "BYDAY", value: entry.icalendarText,
                                    reason: "a month has at most five of a weekday: the ordinal is 1...5 or -5...-1")
            }
        }
        self.frequency = frequency
        self.interval = interval
        self.byMonthDay = byMonthDay
        self.byDay = byDay
        self.end = end
        self.weekStart = weekStart
    }
}

/// Why a recurrence rule (or its DTSTART/EXDATE lines) was refused. Every case
/// names the offending part.
public enum RecurrenceRuleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No FREQ part.
    case missingFrequency
    /// A part without "=", or an empty part ("FREQ=WEEKLY;;COUNT=2").
    case malformedPart(String)
    /// A part this subset does not handle (BYSETPOS, BYHOUR, ...) or that RFC 5545 does not define.
    case unsupportedPart(String)
    /// A value RFC 5545 allows but this subset does not handle (FREQ=DAILY).
    case unsupportedValue(part: String, value: String)
    case invalidValue(part: String, value: String, reason: String)
    case duplicatePart(String)
    /// COUNT and UNTIL together.
    case countAndUntil
    /// A part RFC 5545 forbids with this frequency (BYMONTHDAY with WEEKLY).
    case partNotAllowed(part: String, frequency: String)
    /// An iCalendar line other than DTSTART, RRULE or EXDATE, or one that cannot be read.
    case invalidLine(String, reason: String)

    /// The rule part or property the error is about.
    public var part: String {
        switch self {
        case .missingFrequency: "FREQ"
        case .malformedPart(let part), .unsupportedPart(let part), .duplicatePart(let part): part
        case .unsupportedValue(let part, _), .invalidValue(let part, _, _), .partNotAllowed(let part, _): part
        case .countAndUntil: "COUNT"
        case .invalidLine(let line, _): line
        }
    }

    public var description: String {
        switch self {
        case .missingFrequency:
            "the rule has no FREQ part (FREQ=WEEKLY or FREQ=MONTHLY is required)"
        case .malformedPart(let part):
            "rule part \"\(part)\" is not of the form NAME=VALUE"
        case .unsupportedPart(let part) where !RecurrenceRule.rfc5545Parts.contains(part):
            "\(part) is not an RFC 5545 rule part (supported: \(RecurrenceRule.supportedParts.joined(separator: ", ")))"
        case .unsupportedPart(let part):
            "rule part \(part) is not supported (supported: \(RecurrenceRule.supportedParts.joined(separator: ", ")))"
        case .unsupportedValue(let part, let value):
            "\(part)=\(value) is not supported (supported: "
                + RecurrenceRule.Frequency.allCases.map(\.rawValue).joined(separator: ", ") + ")"
        case .invalidValue(let part, let value, let reason):
            "\(part)=\(value) is invalid: \(reason)"
        case .duplicatePart(let part):
            "rule part \(part) is given more than once"
        case .countAndUntil:
            "COUNT and UNTIL cannot both be given (RFC 5545 §3.3.10)"
        case .partNotAllowed(let part, let frequency):
            "\(part) is not allowed with FREQ=\(frequency) (RFC 5545 §3.3.10)"
        case .invalidLine(let line, let reason):
            "iCalendar line \"\(line)\": \(reason)"
        }
    }
}
