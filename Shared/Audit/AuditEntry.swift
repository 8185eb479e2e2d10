import Foundation

/// One entry of a service's audit log, as stored and as `GET /v1/audit`
/// shows it:
///
/// ```json
/// {"seq": 7, "at": "2026-03-01T08:00:00.123Z",
///  "actor": {"subject": "…", "role": "office", "unitId": null},
///  "action": "cn.gov.fangxian.shuangjian.registry.unit.updated.v1",
///  "aggregateType": "unit", "aggregateId": "education-bureau",
///  "digest": "<64 hex digits>", "hash": "<64 hex digits>"}
/// ```
public struct AuditEntry: Sendable, Hashable {
    /// 1, 2, 3, … without gaps, in the order the entries were appended.
    public var seq: Int64
    /// When the act happened (the writer's clock), to the millisecond: every
    /// initialiser rounds it, so an entry read back (from the database or
    /// JSON) equals the one written, to the bit.
    public var at: Date
    public var actor: AuditActor
    public var action: String
    public var aggregateType: String
    public var aggregateId: String
    /// Lower-case hex SHA-256 of the payload or new state.
    public var digest: String
    /// SHA-256(previous entry's hash ‖ this entry's canonical form): 32 bytes.
    public var hash: [UInt8]

    public init(
        seq: Int64, at: Date, actor: AuditActor, action: String, aggregateType: String, aggregateId: String,
        digest: String, hash: [UInt8]
    ) {
        self.seq = seq
        self.at = AuditChainHash.roundedToMillisecond(at)
        self.actor = actor
        self.action = action
        self.aggregateType = aggregateType
        self.aggregateId = aggregateId
        self.digest = digest
        self.hash = hash
    }

    /// The entry `record` becomes when appended by `actor` at `at` after an
    /// entry whose hash is `previousHash` (`AuditChainHash.genesis` before seq 1).
    public init(seq: Int64, at: Date, actor: AuditActor, record: AuditRecord, previousHash: [UInt8]) {
        self.init(
            seq: seq, at: at, actor: actor, action: record.action,
            aggregateType: record.aggregateType, aggregateId: record.aggregateId, digest: record.digest, hash: [])
        hash = AuditChainHash.hash(previous: previousHash, entry: self)
    }

    /// `hash` in lower-case hex.
    public var hashHex: String { Hex.encode(hash) }

    /// Whether `hash` is what this entry's contents give after `previousHash`.
    public func hashMatches(previous previousHash: [UInt8]) -> Bool {
        AuditChainHash.hash(previous: previousHash, entry: self) == hash
    }
}

extension AuditEntry: Codable {
    enum CodingKeys: String, CodingKey {
        case seq, at, actor, action, aggregateType, aggregateId, digest, hash
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let hex = try container.decode(String.self, forKey: .hash)
        guard let hash = Hex.decode(hex), hash.count == 32 else {
            throw DecodingError.dataCorruptedError(forKey: .hash, in: container, debugDescription: "not 64 hex digits")
        }
        self.init(
            seq: try container.decode(Int64.self, forKey: .seq), at: try container.decode(Date.self, forKey: .at),
            actor: try container.decode(AuditActor.self, forKey: .actor),
            action: try container.decode(String.self, forKey: .action),
            aggregateType: try container.decode(String.self, forKey: .aggregateType),
            aggregateId: try container.decode(String.self, forKey: .aggregateId),
            digest: try container.decode(String.self, forKey: .digest), hash: hash)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(seq, forKey: .seq)
        try container.encode(at, forKey: .at)
        try container.encode(actor, forKey: .actor)
        try container.encode(action, forKey: .action)
        try container.encode(aggregateType, forKey: .aggregateType)
        try container.encode(aggregateId, forKey: .aggregateId)
        try container.encode(digest, forKey: .digest)
        try container.encode(hashHex, forKey: .hash)
    }
}
