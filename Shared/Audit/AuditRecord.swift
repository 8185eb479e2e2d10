import Crypto
import EventFlow
import Foundation

/// What one act did, as the service that did it describes it: the action
/// (the event type), the aggregate it changed, and a digest of what it
/// produced (the event payload or the new state). `AuditLog.append` adds
/// who, when, the sequence number and the hash.
public struct AuditRecord: Sendable, Hashable {
    /// The event type, e.g. `cn.gov.fangxian.shuangjian.registry.unit.updated.v1`.
    public var action: String
    public var aggregateType: String
    public var aggregateId: String
    /// Lower-case hex SHA-256 (64 digits) of the payload or new state.
    public var digest: String

    public init(action: String, aggregateType: String, aggregateId: String, digest: String) {
        self.action = action
        self.aggregateType = aggregateType
        self.aggregateId = aggregateId
        self.digest = digest
    }

    /// With the digest computed from `content` (the bytes the act produced).
    public init(action: String, aggregateType: String, aggregateId: String, digesting content: some DataProtocol) {
        self.init(action: action, aggregateType: aggregateType, aggregateId: aggregateId, digest: Self.digest(of: content))
    }

    /// The record of the event a write path appends to its outbox: action =
    /// the event type, aggregate = the event's aggregate, digest = SHA-256 of
    /// the event's JSON payload (the exact bytes published as the event's
    /// data, so anyone holding the event can check the digest).
    public init(_ event: OutboxEvent) {
        self.init(
            action: event.type, aggregateType: event.aggregateType, aggregateId: event.aggregateId,
            digesting: event.payload)
    }

    /// Lower-case hex SHA-256 of `content`.
    public static func digest(of content: some DataProtocol) -> String {
        Hex.encode(SHA256.hash(data: content))
    }

    /// Whether `digest` has the stored form (64 lower-case hex digits).
    static func isDigest(_ digest: String) -> Bool {
        digest.utf8.count == 64 && digest.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
