import EventFlow
import Foundation

/// An instant in a request body, read exactly as JSON Schema's `format:
/// date-time` reads it (`RFC3339.parseExactly`: any offset to ±23:59, `t`/`z`,
/// a leap second), so a time the document admits is never refused for its form.
struct RequestTime: Codable, Sendable, Equatable {
    var date: Date

    init(_ date: Date) { self.date = date }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = RFC3339.parseExactly(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 date-time: \(text)")
        }
        self.date = date
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(RFC3339.format(date))
    }
}
