/// A value whose JSON form is its text form ("2026-10-09",
/// "2026-10-09T08:30:00"), so holiday files and payloads read the same to a
/// person and to `jq`. The type parses and prints; Codable comes from here.
public protocol TextCodable: Codable, CustomStringConvertible {
    associatedtype ParseError: Error & CustomStringConvertible
    init(parsing text: String) throws(ParseError)
}

extension TextCodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
