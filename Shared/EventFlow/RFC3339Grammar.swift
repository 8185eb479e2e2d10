import Domain
import Foundation

extension RFC3339 {
    /// Exactly RFC 3339's `date-time` (§5.6), as JSON Schema's `format:
    /// date-time` reads it: `T`/`t` and `Z`/`z` in either case, any number
    /// of fraction digits, a leap second (`:60`), any offset from -23:59 to
    /// +23:59, years 0000 to 9999 (proleptic Gregorian). Nothing else: no
    /// offset without its colon, no missing seconds. Foundation's ISO 8601
    /// parser refuses some of these (an offset beyond ±18:00) and accepts
    /// forms outside them, so a query parameter a document calls `date-time`
    /// is read with this.
    public static func parseExactly(_ text: String) -> Date? {
        // Over the UTF-8 bytes, without allocating: every event's times pass
        // through here (the inspection service reads ~10,000 signals/s).
        var text = text
        return text.withUTF8 { bytes -> Date? in
            var index = 0
            func digits(_ count: Int) -> Int? {
                guard index + count <= bytes.count else { return nil }
                var value = 0
                for byte in bytes[index..<index + count] {
                    guard byte >= 0x30, byte <= 0x39 else { return nil }
                    value = value * 10 + Int(byte - 0x30)
                }
                index += count
                return value
            }
            func expect(_ first: UInt8, _ second: UInt8? = nil) -> UInt8? {
                guard index < bytes.count, bytes[index] == first || bytes[index] == second else { return nil }
                index += 1
                return bytes[index - 1]
            }
            let dash = UInt8(ascii: "-"), colon = UInt8(ascii: ":")
            guard let year = digits(4), expect(dash) != nil, let month = digits(2), expect(dash) != nil, let day = digits(2),
                  expect(UInt8(ascii: "T"), UInt8(ascii: "t")) != nil, let hour = digits(2), expect(colon) != nil,
                  let minute = digits(2), expect(colon) != nil, let second = digits(2)
            else { return nil }
            var fraction = 0.0
            if expect(UInt8(ascii: ".")) != nil {
                let start = index
                while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
                guard index > start,
                      let value = Double("0." + String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
                else { return nil }
                fraction = value
            }
            var offset = 0
            if expect(UInt8(ascii: "Z"), UInt8(ascii: "z")) == nil {
                guard let sign = expect(UInt8(ascii: "+"), dash), let offsetHour = digits(2), expect(colon) != nil,
                      let offsetMinute = digits(2), offsetHour <= 23, offsetMinute <= 59
                else { return nil }
                offset = (offsetHour * 60 + offsetMinute) * 60 * (sign == dash ? -1 : 1)
            }
            guard index == bytes.count, (1...12).contains(month), day >= 1, day <= CivilDays.daysInMonth(year: year, month: month),
                  hour <= 23, minute <= 59, second <= 60
            else { return nil }
            let days = CivilDays.days(year: year, month: month, day: day)
            let seconds = Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset) + fraction
            return Date(timeIntervalSince1970: seconds)
        }
    }
}
