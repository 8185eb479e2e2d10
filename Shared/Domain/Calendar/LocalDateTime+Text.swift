/// Text forms of a date-time: ISO 8601 "YYYY-MM-DDTHH:MM:SS" (the JSON form)
/// and RFC 5545 "YYYYMMDDTHHMMSS" (DTSTART, EXDATE and UNTIL in .ics files).
extension LocalDateTime: TextCodable {
    /// "YYYY-MM-DDTHH:MM:SS".
    public var description: String {
        date.description + "T" + timeText(separator: ":")
    }

    /// "YYYYMMDDTHHMMSS", the RFC 5545 local ("floating") DATE-TIME form.
    public var basicFormat: String {
        date.basicFormat + "T" + timeText(separator: "")
    }

    /// Parses "YYYY-MM-DDTHH:MM:SS" or "YYYY-MM-DDTHH:MM".
    public init(parsing text: String) throws(LocalDateTimeError) {
        let parts = text.split(separator: "T", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw .malformed(text) }
        let date: LocalDate
        do { date = try LocalDate(parsing: String(parts[0])) } catch {
            if case .malformed = error { throw .malformed(text) }
            throw .invalidDate(error)
        }
        let time = Array(parts[1].utf8)
        guard time.count == 5 || time.count == 8, time[2] == UInt8(ascii: ":"),
              time.count == 5 || time[5] == UInt8(ascii: ":"),
              let hour = LocalDate.digits(time[0..<2]), let minute = LocalDate.digits(time[3..<5])
        else { throw .malformed(text) }
        var second = 0
        if time.count == 8 {
            guard let s = LocalDate.digits(time[6..<8]) else { throw .malformed(text) }
            second = s
        }
        try self.init(date: date, hour: hour, minute: minute, second: second)
    }

    /// Parses the RFC 5545 form "YYYYMMDDTHHMMSS" (no trailing "Z": a UTC
    /// time is an instant, not a wall-clock time).
    public init(parsingBasic text: String) throws(LocalDateTimeError) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 15, utf8[8] == UInt8(ascii: "T"),
              let hour = LocalDate.digits(utf8[9..<11]), let minute = LocalDate.digits(utf8[11..<13]),
              let second = LocalDate.digits(utf8[13..<15])
        else { throw .malformed(text) }
        let date: LocalDate
        do { date = try LocalDate(parsingBasic: String(text.prefix(8))) } catch {
            if case .malformed = error { throw .malformed(text) }
            throw .invalidDate(error)
        }
        try self.init(date: date, hour: hour, minute: minute, second: second)
    }

    private func timeText(separator: String) -> String {
        LocalDate.pad(hour, 2) + separator + LocalDate.pad(minute, 2) + separator + LocalDate.pad(second, 2)
    }
}
