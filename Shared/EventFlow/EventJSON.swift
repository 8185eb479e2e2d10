import Domain
import Foundation
import Postgres

/// The JSON coders every event payload goes through, so producers and
/// consumers agree on key style and date format.
public enum EventJSON: PostgresJSONCoding {
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        // Milliseconds, like ce_time: two changes within a second stay apart.
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.format(date))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            // Exactly the `format: date-time` the documents promise (county
            // systems send any RFC 3339 offset), not Foundation's narrower reading.
            guard let date = RFC3339.parseExactly(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 date-time: \(text)")
            }
            return date
        }
        return decoder
    }()
}

/// RFC 3339 timestamps with or without fractional seconds.
public enum RFC3339 {
    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let withoutFraction = Date.ISO8601FormatStyle()  // ends in "Z": UTC

    /// UTC with milliseconds, e.g. `2026-11-27T03:26:16.123Z`. Rounded to
    /// the millisecond in integers, so format(parse(format(d))) == format(d)
    /// (a formatter given 16.345 as 16.34499… would write .344).
    public static func format(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        // Floor division, so times before 1970 count back from their day's start.
        let (seconds, fraction) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        let (wholeSeconds, positiveFraction) = fraction < 0 ? (seconds - 1, fraction + 1000) : (seconds, fraction)
        let (days, secondOfDay) = wholeSeconds.quotientAndRemainder(dividingBy: 86_400)
        let (day, second) = secondOfDay < 0 ? (days - 1, secondOfDay + 86_400) : (days, secondOfDay)
        // Integer arithmetic, not a formatter: every event and stored state is
        // stamped with this, many thousands a second under load.
        let date = CivilDays.civil(fromDays: Int(day))
        var text = ""
        text.reserveCapacity(24)
        func append(_ value: Int, width: Int) {
            let digits = String(value)
            if digits.count < width { text += String(repeating: "0", count: width - digits.count) }
            text += digits
        }
        append(date.year, width: 4); text += "-"
        append(date.month, width: 2); text += "-"
        append(date.day, width: 2); text += "T"
        append(Int(second / 3600), width: 2); text += ":"
        append(Int(second % 3600 / 60), width: 2); text += ":"
        append(Int(second % 60), width: 2); text += "."
        append(Int(positiveFraction), width: 3); text += "Z"
        return text
    }

    public static func parse(_ text: String) -> Date? {
        (try? withFraction.parse(text)) ?? (try? withoutFraction.parse(text))
    }
}
