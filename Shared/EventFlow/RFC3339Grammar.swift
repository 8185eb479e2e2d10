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
        let scalars = Array(text.unicodeScalars)
        var index = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= scalars.count else { return nil }
            var value = 0
            for scalar in scalars[index..<index + count] {
                guard ("0"..."9").contains(scalar) else { return nil }
                value = value * 10 + Int(scalar.value - 48)
            }
            index += count
            return value
        }
        func expect(_ options: Set<Unicode.Scalar>) -> Unicode.Scalar? {
            guard index < scalars.count, options.contains(scalars[index]) else { return nil }
            index += 1
            return scalars[index - 1]
        }
        guard let year = digits(4), expect(["-"]) != nil, let month = digits(2), expect(["-"]) != nil, let day = digits(2),
              expect(["T", "t"]) != nil, let hour = digits(2), expect([":"]) != nil, let minute = digits(2),
              expect([":"]) != nil, let second = digits(2)
        else { return nil }
        var fraction = 0.0
        if expect(["."]) != nil {
            let start = index
            while index < scalars.count, ("0"..."9").contains(scalars[index]) { index += 1 }
            guard index > start, let value = Double("0." + String(String.UnicodeScalarView(scalars[start..<index]))) else { return nil }
            fraction = value
        }
        var offset = 0
        if expect(["Z", "z"]) == nil {
            guard let sign = expect(["+", "-"]), let offsetHour = digits(2), expect([":"]) != nil, let offsetMinute = digits(2),
                  offsetHour <= 23, offsetMinute <= 59
            else { return nil }
            offset = (offsetHour * 60 + offsetMinute) * 60 * (sign == "-" ? -1 : 1)
        }
        guard index == scalars.count, (1...12).contains(month), day >= 1, day <= daysIn(month, of: year),
              hour <= 23, minute <= 59, second <= 60
        else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset) + fraction
        return Date(timeIntervalSince1970: seconds)
    }

    private static func daysIn(_ month: Int, of year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to the date, proleptic Gregorian (Howard Hinnant's days_from_civil).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
