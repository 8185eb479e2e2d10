import Audit
import EventFlow
import Foundation
import Testing

/// The canonical form and the hash, against vectors computed independently
/// (Python's hashlib over the documented form), so the specification in
/// AuditChainHash and docs/architecture.md is what the code does.
@Suite struct AuditChainHashTests {
    static let payload = Array(#"{"id":"education-bureau"}"#.utf8)
    static let digest = "7053ee28def3c97787208f44d8451244a6fa426b97607bbad0143ff805c19dc6"

    static let first = AuditEntry(
        seq: 1, at: RFC3339.parse("2026-03-01T08:00:00.123Z")!, actor: AuditActor(subject: "张三", role: "office"),
        record: AuditRecord(
            action: "cn.gov.fangxian.shuangjian.registry.unit.updated.v1", aggregateType: "unit",
            aggregateId: "education-bureau", digesting: payload),
        previousHash: AuditChainHash.genesis)

    @Test func theDigestIsTheHexSHA256OfThePayload() {
        #expect(AuditRecord.digest(of: Self.payload) == Self.digest)
        #expect(Self.first.digest == Self.digest)
    }

    @Test func theCanonicalFormIsLengthPrefixedUTF8InTheDocumentedOrder() {
        let expected = "1:1,24:2026-03-01T08:00:00.123Z,6:张三,6:office,0:,51:cn.gov.fangxian.shuangjian.registry.unit.updated.v1,"
            + "4:unit,16:education-bureau,64:\(Self.digest),"
        #expect(String(decoding: AuditChainHash.canonicalForm(of: Self.first), as: UTF8.self) == expected)
    }

    @Test func eachHashCoversThePreviousOne() {
        #expect(AuditChainHash.genesis == [UInt8](repeating: 0, count: 32))
        #expect(Self.first.hashHex == "7eadc30d380625557710bc55cea3fb9fb2879c8478da13822808819790fc8c27")
        // A system actor, and an aggregate id with the characters a naive separator would trip on.
        let second = AuditEntry(
            seq: 2, at: RFC3339.parse("2026-03-01T08:00:01Z")!, actor: .system("notification-consumer"),
            record: AuditRecord(
                action: "cn.gov.fangxian.shuangjian.notification.delivery.sent.v1", aggregateType: "delivery",
                aggregateId: "d-1,x:y", digest: Self.digest),
            previousHash: Self.first.hash)
        #expect(second.actor.role == "system")
        #expect(second.hashHex == "25e8efcec4eba29df7efe4cd34000e02be8729c7b4b0d48d60ffb61da90b4281")
        #expect(second.hashMatches(previous: Self.first.hash))
        #expect(!second.hashMatches(previous: AuditChainHash.genesis))
    }

    @Test func timesAreHashedToTheMillisecond() {
        let precise = Date(timeIntervalSince1970: 1_772_352_000.123_456)
        let rounded = AuditChainHash.roundedToMillisecond(precise)
        #expect(RFC3339.format(rounded) == "2026-03-01T08:00:00.123Z")
        let record = AuditRecord(action: "a", aggregateType: "t", aggregateId: "i", digest: Self.digest)
        let fromPrecise = AuditEntry(seq: 1, at: precise, actor: AuditEnv.actor, record: record, previousHash: AuditChainHash.genesis)
        let fromRounded = AuditEntry(seq: 1, at: rounded, actor: AuditEnv.actor, record: record, previousHash: AuditChainHash.genesis)
        #expect(fromPrecise.at == rounded && fromPrecise.hash == fromRounded.hash)
    }

    @Test func anEntryIsJSONWithCamelCaseIdsAndHexHash() throws {
        let json = try JSONSerialization.jsonObject(with: EventJSON.encoder.encode(Self.first)) as? [String: Any] ?? [:]
        #expect(Set(json.keys) == ["seq", "at", "actor", "action", "aggregateType", "aggregateId", "digest", "hash"])
        #expect(json["hash"] as? String == Self.first.hashHex)
        #expect(json["at"] as? String == "2026-03-01T08:00:00.123Z")
        let actor = json["actor"] as? [String: Any] ?? [:]
        #expect(Set(actor.keys) == ["subject", "role", "unitId"] && actor["unitId"] is NSNull)
        let decoded = try EventJSON.decoder.decode(AuditEntry.self, from: EventJSON.encoder.encode(Self.first))
        #expect(decoded == Self.first)
    }

    @Test func anOutboxEventBecomesARecordOfItsTypeAggregateAndPayload() throws {
        let event = OutboxEvent(
            topic: "shuangjian.registry.units", aggregateType: "unit", aggregateId: "education-bureau",
            type: "cn.gov.fangxian.shuangjian.registry.unit.updated.v1", payloadJSON: Self.payload)
        let record = AuditRecord(event)
        #expect(record == AuditRecord(
            action: event.type, aggregateType: "unit", aggregateId: "education-bureau", digest: Self.digest))
    }
}
