import Foundation
import Kafka

/// A CloudEvents 1.0 event as Shuangjian exchanges it (DESIGN.md §3): JSON
/// data, an id that is the outbox row's id, and the attributes the consumers
/// need to route and deduplicate it.
public struct CloudEvent: Sendable, Equatable {
    public var id: String
    public var source: String
    public var type: String
    public var subject: String?
    public var time: Date?
    /// The JSON `data`, as bytes (never re-encoded, so a consumer sees what was sent).
    public var data: [UInt8]
    /// Extension attributes such as `traceparent`, without the `ce_` prefix.
    public var extensions: [String: String]

    public init(
        id: String, source: String, type: String, subject: String? = nil, time: Date? = nil,
        data: [UInt8], extensions: [String: String] = [:]
    ) {
        self.id = id
        self.source = source
        self.type = type
        self.subject = subject
        self.time = time
        self.data = data
        self.extensions = extensions
    }

    public static let specVersion = "1.0"

    /// Decodes `data` as `T` (camelCase keys, RFC 3339 dates, like every JSON body).
    public func decodeData<T: Decodable>(as type: T.Type = T.self) throws -> T {
        try EventJSON.decoder.decode(T.self, from: Data(data))
    }
}
