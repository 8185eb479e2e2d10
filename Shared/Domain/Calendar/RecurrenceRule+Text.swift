import Foundation

/// The RRULE value text: parsing (case-insensitive, optional "RRULE:" prefix)
/// and formatting in one canonical order, so that
/// `RecurrenceRule(parsing: rule.description) == rule`.
extension RecurrenceRule: CustomStringConvertible {
    /// The parts this subset handles, in the order `description` writes them.
    public static let supportedParts = ["FREQ", "INTERVAL", "BYMONTHDAY", "BYDAY", "WKST", "COUNT", "UNTIL"]

    /// Every rule part RFC 5545 defines, to tell "unsupported" from "not a part".
    static let rfc5545Parts: Set<String> = [
        "FREQ", "UNTIL", "COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY",
        "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST",
    ]

    /// The frequencies RFC 5545 defines, to tell "unsupported" from "invalid".
    static let rfc5545Frequencies: Set<String> = ["SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"]

    /// Parses an RRULE value such as `FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR`
    /// (an "RRULE:" prefix is accepted).
    public init(parsing text: String) throws(RecurrenceRuleError) {
        var body = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        if body.uppercased().hasPrefix("RRULE:") { body = body.dropFirst(6) }

        var parts: [String: String] = [:]
        for rawPart in body.split(separator: ";", omittingEmptySubsequences: false) {
            let pieces = rawPart.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pieces.count == 2, !pieces[0].isEmpty else { throw .malformedPart(String(rawPart)) }
            let name = pieces[0].uppercased()
            let value = pieces[1].uppercased()
            guard Self.supportedParts.contains(name) else { throw .unsupportedPart(name) }
            guard parts.updateValue(value, forKey: name) == nil else { throw .duplicatePart(name) }
            guard !value.isEmpty else { throw .invalidValue(part: name, value: "", reason: "the value is empty") }
        }

        guard let frequencyText = parts["FREQ"] else { throw .missingFrequency }
        guard let frequency = Frequency(rawValue: frequencyText) else {
            if Self.rfc5545Frequencies.contains(frequencyText) {
                throw .unsupportedValue(part: "FREQ", value: frequencyText)
            }
            throw .invalidValue(part: "FREQ", value: frequencyText, reason: "not an RFC 5545 frequency")
        }

        let interval = try parts["INTERVAL"].map { v throws(RecurrenceRuleError) in try Self.positiveInteger(v, part: "INTERVAL") } ?? 1

        let end: End
        switch (parts["COUNT"], parts["UNTIL"]) {
        case (.some, .some): throw .countAndUntil
        case (.some(let count), nil): end = .count(try Self.positiveInteger(count, part: "COUNT"))
        case (nil, .some(let until)): end = .until(try Self.parseUntil(until))
        case (nil, nil): end = .never
        }

        let byMonthDay = try parts["BYMONTHDAY"].map { v throws(RecurrenceRuleError) in try Self.parseMonthDays(v) } ?? []
        let byDay = try parts["BYDAY"].map { v throws(RecurrenceRuleError) in try Self.parseWeekdays(v) } ?? []
        let weekStart = try parts["WKST"].map { v throws(RecurrenceRuleError) -> Weekday in
            guard let day = Weekday(icalendarCode: v) else {
                throw .invalidValue(part: "WKST", value: v, reason: "a weekday is MO, TU, WE, TH, FR, SA or SU")
            }
            return day
        }

        try self.init(frequency: frequency, interval: interval, byMonthDay: byMonthDay, byDay: byDay,
                      end: end, weekStart: weekStart)
    }

    /// The canonical text: FREQ, INTERVAL (left out when 1), BYMONTHDAY, BYDAY,
    /// WKST (when given), then COUNT or UNTIL.
    public var description: String {
        var parts = ["FREQ=\(frequency.rawValue)"]
        if interval != 1 { parts.append("INTERVAL=\(interval)") }
        if !byMonthDay.isEmpty { parts.append("BYMONTHDAY=" + byMonthDay.map(String.init).joined(separator: ",")) }
        if !byDay.isEmpty { parts.append("BYDAY=" + byDay.map(\.icalendarText).joined(separator: ",")) }
        if let weekStart { parts.append("WKST=\(weekStart.icalendarCode)") }
        switch end {
        case .never: break
        case .count(let count): parts.append("COUNT=\(count)")
        case .until(.date(let date)): parts.append("UNTIL=\(date.basicFormat)")
        case .until(.localTime(let time)): parts.append("UNTIL=\(time.basicFormat)")
        case .until(.utc(let instant)): parts.append("UNTIL=" + Self.utcText(instant))
        }
        return parts.joined(separator: ";")
    }

    // MARK: - Values

    static func positiveInteger(_ text: String, part: String) throws(RecurrenceRuleError) -> Int {
        guard text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber), let value = Int(text), value >= 1 else {
            throw .invalidValue(part: part, value: text, reason: "it must be a positive integer")
        }
        return value
    }

    static func parseUntil(_ text: String) throws(RecurrenceRuleError) -> Until {
        let reason = "UNTIL is YYYYMMDD, YYYYMMDDTHHMMSS or YYYYMMDDTHHMMSSZ"
        if text.count == 8 {
            do { return .date(try LocalDate(parsingBasic: text)) } catch {
                throw .invalidValue(part: "UNTIL", value: text, reason: error.description)
            }
        }
        let isUTC = text.hasSuffix("Z")
        let local: LocalDateTime
        do { local = try LocalDateTime(parsingBasic: String(isUTC ? text.dropLast() : Substring(text))) } catch {
            if case .malformed = error { throw .invalidValue(part: "UNTIL", value: text, reason: reason) }
            throw .invalidValue(part: "UNTIL", value: text, reason: error.description)
        }
        return isUTC ? .utc(local.instant(in: TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0)!)) : .localTime(local)
    }

    static func utcText(_ instant: Date) -> String {
        LocalDateTime(instant, in: TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0)!).basicFormat + "Z"
    }

    static func parseMonthDays(_ text: String) throws(RecurrenceRuleError) -> [Int] {
        var days: [Int] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let digits = item.first == "-" || item.first == "+" ? item.dropFirst() : item
            guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let day = Int(item) else {
                throw .invalidValue(part: "BYMONTHDAY", value: String(item), reason: "a month day is 1...31 or -31...-1")
            }
            days.append(day)
        }
        return days
    }

    static func parseWeekdays(_ text: String) throws(RecurrenceRuleError) -> [WeekdayEntry] {
        var entries: [WeekdayEntry] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard item.count >= 2, let weekday = Weekday(icalendarCode: String(item.suffix(2))) else {
                throw .invalidValue(part: "BYDAY", value: String(item),
                                    reason: "a weekday is MO, TU, WE, TH, FR, SA or SU, with an optional ordinal like 1MO or -1FR")
            }
            let ordinalText = item.dropLast(2)
            if ordinalText.isEmpty {
                entries.append(WeekdayEntry(weekday))
                continue
            }
            let digits = ordinalText.first == "-" || ordinalText.first == "+" ? ordinalText.dropFirst() : ordinalText
            guard !digits.isEmpty, digits.count <= 2, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
                  let ordinal = Int(ordinalText)
            else {
                throw .invalidValue(part: "BYDAY", value: String(item), reason: "the ordinal before the weekday is not a number")
            }
            entries.append(WeekdayEntry(weekday, ordinal: ordinal))
        }
        return entries
    }
}
