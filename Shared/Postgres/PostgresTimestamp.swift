import Foundation

/// timestamptz ⇄ Date with microsecond precision, without DateFormatter
/// (slow, and it drops microseconds). Connections use DateStyle=ISO and
/// TimeZone=UTC, so the server writes `2024-05-01 08:30:00.123456+00`;
/// other offsets (`+05:30`) are read too.
enum PostgresTimestamp {
    /// Microseconds between 1970-01-01 and 2001-01-01 (Date's reference date).
    static let unixToReference: Int64 = 978_307_200 * 1_000_000

    static func format(_ date: Date, into buffer: inout PostgresEncodingBuffer) {
        if date == .distantFuture { buffer.append("infinity"); return }
        if date == .distantPast { buffer.append("-infinity"); return }
        // Round from the reference-date interval: smaller magnitude, more precision.
        let micros = Int64((date.timeIntervalSinceReferenceDate * 1_000_000).rounded()) + unixToReference
        let (seconds, fraction) = floorDivide(micros, 1_000_000)
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        let (year, month, day) = civil(fromDays: days)
        var text = ""
        text.reserveCapacity(32)
        pad(&text, year, 4); text += "-"; pad(&text, month, 2); text += "-"; pad(&text, day, 2)
        text += " "
        pad(&text, Int(secondOfDay / 3600), 2); text += ":"
        pad(&text, Int(secondOfDay / 60 % 60), 2); text += ":"
        pad(&text, Int(secondOfDay % 60), 2)
        if fraction != 0 { text += "."; pad(&text, Int(fraction), 6) }
        text += "+00"
        buffer.append(text)
    }

    static func parse(_ bytes: ArraySlice<UInt8>) throws -> Date {
        var p = Cursor(bytes: bytes)
        if bytes.elementsEqual("infinity".utf8) { return .distantFuture }
        if bytes.elementsEqual("-infinity".utf8) { return .distantPast }
        let year = try p.number(minDigits: 4, maxDigits: 7)
        try p.expect("-"); let month = try p.number(2)
        try p.expect("-"); let day = try p.number(2)
        try p.expect(" "); let hour = try p.number(2)
        try p.expect(":"); let minute = try p.number(2)
        try p.expect(":"); let second = try p.number(2)
        var micros: Int64 = 0
        if p.peek == UInt8(ascii: ".") {
            p.advance()
            var digits = 0
            while let c = p.peek, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
                if digits < 6 { micros = micros * 10 + Int64(c - UInt8(ascii: "0")) }
                digits += 1; p.advance()
            }
            for _ in digits..<max(digits, 6) { micros *= 10 }
        }
        var offset = 0
        if let sign = p.peek, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            p.advance()
            offset = try p.number(2) * 3600
            if p.peek == UInt8(ascii: ":") { p.advance(); offset += try p.number(2) * 60 }
            if p.peek == UInt8(ascii: ":") { p.advance(); offset += try p.number(2) }
            if sign == UInt8(ascii: "-") { offset = -offset }
        }
        guard p.atEnd else { throw PostgresTextParser.invalid(bytes, "timestamptz") }
        let days = Int64(days(fromCivil: year, month, day))
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second - offset)
        let referenceSeconds = seconds - unixToReference / 1_000_000
        return Date(timeIntervalSinceReferenceDate: Double(referenceSeconds) + Double(micros) / 1_000_000)
    }

    private struct Cursor {
        let bytes: ArraySlice<UInt8>
        var index: Int
        init(bytes: ArraySlice<UInt8>) { self.bytes = bytes; index = bytes.startIndex }
        var atEnd: Bool { index == bytes.endIndex }
        var peek: UInt8? { index < bytes.endIndex ? bytes[index] : nil }
        mutating func advance() { index += 1 }
        mutating func expect(_ c: Unicode.Scalar) throws {
            guard peek == UInt8(ascii: c) else { throw PostgresTextParser.invalid(bytes, "timestamptz") }
            advance()
        }
        mutating func number(_ digits: Int) throws -> Int { try number(minDigits: digits, maxDigits: digits) }
        mutating func number(minDigits: Int, maxDigits: Int) throws -> Int {
            var value = 0, count = 0
            while count < maxDigits, let c = peek, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
                value = value * 10 + Int(c - UInt8(ascii: "0")); count += 1; advance()
            }
            guard count >= minDigits else { throw PostgresTextParser.invalid(bytes, "timestamptz") }
            return value
        }
    }

    private static func pad(_ text: inout String, _ value: Int, _ width: Int) {
        let digits = String(value)
        if digits.utf8.count < width { text += String(repeating: "0", count: width - digits.utf8.count) }
        text += digits
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a / b, r = a % b
        return r < 0 ? (q - 1, r + b) : (q, r)
    }

    // Howard Hinnant's proleptic Gregorian day algorithms.
    static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int64) -> (Int, Int, Int) {
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
