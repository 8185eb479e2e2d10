import Domain
import Foundation

/// An event to publish, written to the `outbox` table in the same transaction
/// as the state change it describes (DESIGN.md §4). Its `id` becomes `ce_id`,
/// so a republished row is recognisably the same event.
public struct OutboxEvent: Sendable {
    public var id: UUID
    public var topic: String
    /// The Kafka key: events of one aggregate share a partition and stay in order.
    public var aggregateType: String
    public var aggregateId: String
    public var type: String
    public var subject: String?
    /// The event's JSON `data`.
    public var payload: [UInt8]
    /// Extra CloudEvents extension attributes (e.g. `traceparent`), sent as `ce_<name>`.
    public var extensions: [String: String]
    public var occurredAt: Date

    public init<Payload: Encodable>(
        id: UUID = .random(), topic: String, aggregateType: String, aggregateId: String, type: String,
        subject: String? = nil, payload: Payload, extensions: [String: String] = [:], occurredAt: Date = Date()
    ) throws {
        self.init(
            id: id, topic: topic, aggregateType: aggregateType, aggregateId: aggregateId, type: type,
            subject: subject, payloadJSON: Array(try EventJSON.encoder.encode(payload)),
            extensions: extensions, occurredAt: occurredAt)
    }

    /// With a payload that is already JSON.
    public init(
        id: UUID = .random(), topic: String, aggregateType: String, aggregateId: String, type: String,
        subject: String? = nil, payloadJSON: [UInt8], extensions: [String: String] = [:], occurredAt: Date = Date()
    ) {
        self.id = id
        self.topic = topic
        self.aggregateType = aggregateType
        self.aggregateId = aggregateId
        self.type = type
        self.subject = subject
        self.payload = payloadJSON
        self.extensions = extensions
        self.occurredAt = occurredAt
    }
}
