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
        let (seconds, fraction) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        let (wholeSeconds, positiveFraction) = fraction < 0 ? (seconds - 1, fraction + 1000) : (seconds, fraction)
        let base = withoutFraction.format(Date(timeIntervalSince1970: Double(wholeSeconds)))
        return base.dropLast() + "." + String(String(positiveFraction + 1000).dropFirst()) + "Z"
    }

    public static func parse(_ text: String) -> Date? {
        (try? withFraction.parse(text)) ?? (try? withoutFraction.parse(text))
    }
}
