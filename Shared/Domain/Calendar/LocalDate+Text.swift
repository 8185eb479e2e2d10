/// The "YYYY-MM-DD" text form of a date (ISO 8601 extended calendar date),
/// which is also its JSON form: holiday files and events carry dates as text
/// so they read the same to a person and to `jq`.
extension LocalDate: LosslessStringConvertible, TextCodable {
    /// Parses exactly "YYYY-MM-DD"; throws `LocalDateError` naming the text and the fault.
    public init(parsing text: String) throws(LocalDateError) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 10, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-"),
              let year = Self.digits(utf8[0..<4]), let month = Self.digits(utf8[5..<7]),
              let day = Self.digits(utf8[8..<10])
        else { throw .malformed(text) }
        try self.init(year: year, month: month, day: day)
    }

    /// `LosslessStringConvertible`: nil where `init(parsing:)` throws.
    public init?(_ description: String) {
        guard let date = try? LocalDate(parsing: description) else { return nil }
        self = date
    }

    /// "YYYY-MM-DD".
    public var description: String {
        let (y, m, d) = CivilDays.civil(fromDays: daysSinceEpoch)
        return Self.pad(y, 4) + "-" + Self.pad(m, 2) + "-" + Self.pad(d, 2)
    }

    /// "YYYYMMDD", the RFC 5545 DATE form.
    public var basicFormat: String {
        let (y, m, d) = CivilDays.civil(fromDays: daysSinceEpoch)
        return Self.pad(y, 4) + Self.pad(m, 2) + Self.pad(d, 2)
    }

    /// Parses the RFC 5545 DATE form "YYYYMMDD".
    public init(parsingBasic text: String) throws(LocalDateError) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 8, let year = Self.digits(utf8[0..<4]), let month = Self.digits(utf8[4..<6]),
              let day = Self.digits(utf8[6..<8])
        else { throw .malformed(text) }
        try self.init(year: year, month: month, day: day)
    }

    /// The value of ASCII digits only (no sign, no spaces, unlike `Int(_:)`).
    static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in bytes {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
