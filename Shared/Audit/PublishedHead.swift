import Domain
import EventFlow
import Foundation
import Kafka

/// A chain head as published on `shuangjian.audit.heads` (kept forever):
/// key = the service's name, value = this JSON, CloudEvents binary-mode
/// headers like every other event (type `…audit.head.published.v1`, source
/// `/shuangjian/<service>`).
///
/// ```json
/// {"service": "registry", "chainId": "…", "seq": 42, "hash": "<64 hex>", "publishedAt": "2026-03-01T08:00:05.000Z"}
/// ```
public struct PublishedHead: Codable, Sendable, Hashable {
    public var service: String
    public var chainId: UUID
    public var seq: Int64
    /// Lower-case hex of the entry's 32-byte hash.
    public var hash: String
    public var publishedAt: Date

    public static let eventType = EventType.auditHeadPublished

    public init(service: String, chainId: UUID, seq: Int64, hash: String, publishedAt: Date) {
        self.service = service
        self.chainId = chainId
        self.seq = seq
        self.hash = hash
        self.publishedAt = publishedAt
    }

    public init(service: String, head: AuditChainHead, publishedAt: Date) {
        self.init(service: service, chainId: head.chainId, seq: head.seq, hash: head.hashHex, publishedAt: publishedAt)
    }

    /// The chain id in lower case, like every UUID the system writes.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(service, forKey: .service)
        try container.encode(chainId.uuidString.lowercased(), forKey: .chainId)
        try container.encode(seq, forKey: .seq)
        try container.encode(hash, forKey: .hash)
        try container.encode(publishedAt, forKey: .publishedAt)
    }

    /// The record to produce: binary-mode CloudEvent keyed by the service.
    public func kafkaRecord() throws -> KafkaRecord {
        let event = CloudEvent(
            id: UUID().uuidString.lowercased(), source: "/shuangjian/\(service)", type: Self.eventType,
            subject: "chains/\(chainId.uuidString.lowercased())", time: publishedAt,
            data: Array(try EventJSON.encoder.encode(self)))
        return event.kafkaRecord(topic: Topic.auditHeads, key: service)
    }

    /// A consumed head; throws `InvalidEventError` when the record is not one.
    public init(message: KafkaMessage) throws {
        let event = try CloudEvent(message: message)
        guard event.type == Self.eventType else {
            throw InvalidEventError("ce_type is \(event.type), not \(Self.eventType)")
        }
        let head = try event.decodeData(as: PublishedHead.self)
        guard head.seq >= 0, let bytes = Hex.decode(head.hash), bytes.count == 32 else {
            throw InvalidEventError("seq or hash is malformed")
        }
        self = head
    }
}
