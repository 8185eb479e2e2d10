import Audit
import Foundation
import Testing

/// The verifier against tampered databases and published heads given as
/// values (the Kafka side is AuditHeadPublisherTests' and AuditCommandTests').
/// Each case names the first bad sequence number.
@Suite struct AuditVerifierTests {
    static let service = "registry"

    /// Ten entries, one transaction each, and the genuine head of each.
    static func tenEntries() async throws -> (AuditDatabase, [AuditEntry], [PublishedHead]) {
        let database = try await AuditDatabase.make()
        let entries = try await database.append(10)
        let chainId = try await AuditLog.head(in: database.pool).chainId
        let heads = entries.map { publishedHead(service, chainId: chainId, entry: $0) }
        return (database, entries, heads)
    }

    static func verify(_ database: AuditDatabase, _ heads: [PublishedHead], ignoring: Set<UUID> = []) async throws -> AuditVerificationReport {
        try await AuditVerifier.verify(service: service, pool: database.pool, heads: heads, ignoringChains: ignoring)
    }

    @Test func anIntactChainWithItsHeadsPasses() async throws {
        let (database, _, heads) = try await Self.tenEntries()
        let report = try await Self.verify(database, heads)
        #expect(report.passed, "\(report.problems)")
        #expect(report.entriesChecked == 10 && report.headsChecked == 10 && report.head.seq == 10)
        #expect(report.summary.contains("10 entries and 10 published heads checked"))
        // Heads of other services are not this one's business.
        var other = heads[3]
        other.service = "notification"
        other.hash = String(repeating: "0", count: 64)
        #expect(try await Self.verify(database, heads + [other]).passed)
        await database.close()
    }

    @Test func aTamperedRowIsNamed() async throws {
        let (database, _, heads) = try await Self.tenEntries()
        try await database.tamper("UPDATE audit_log SET actor_subject = 'someone-else' WHERE seq = 7")
        for published in [[], heads] {
            let report = try await Self.verify(database, published)
            #expect(report.firstProblem?.seq == 7)
            #expect(report.firstProblem?.message == "entry 7: stored hash does not match its contents")
            #expect(report.problems.count == 1, "\(report.problems)")
        }
        await database.close()
    }

    @Test func aDeletedRowIsNamed() async throws {
        let (database, _, heads) = try await Self.tenEntries()
        try await database.tamper("DELETE FROM audit_log WHERE seq = 7")
        let report = try await Self.verify(database, heads)
        #expect(report.firstProblem?.seq == 7)
        #expect(report.firstProblem?.message == "entry 7 is missing")
        #expect(report.problems.count == 1, "\(report.problems)")
        await database.close()
    }

    @Test func deletedLastRowsAreNamedByTheChainHeadOrAPublishedHead() async throws {
        let (database, _, heads) = try await Self.tenEntries()
        try await database.tamper("DELETE FROM audit_log WHERE seq >= 9")
        let byHeadRow = try await Self.verify(database, [])
        #expect(byHeadRow.firstProblem?.seq == 9)
        #expect(byHeadRow.firstProblem?.message.hasPrefix("entry 9 is missing: the chain head says the log reaches seq 10") == true,
                "\(byHeadRow.problems)")
        // Rewinding the head row too hides it from the database alone, not from the published heads.
        try await database.tamper("UPDATE audit_chain SET head_seq = 8, head_hash = (SELECT hash FROM audit_log WHERE seq = 8)")
        #expect(try await Self.verify(database, []).passed)
        let report = try await Self.verify(database, heads)
        #expect(report.firstProblem?.seq == 9)
        #expect(report.firstProblem?.message.hasPrefix("entry 9 is missing: the head for seq 10 published at") == true, "\(report.problems)")
        await database.close()
    }

    /// Entry 7 changed and every hash from it on recomputed: the log is
    /// consistent with itself; only the heads published before show it.
    @Test func aRehashedChainIsNamedByTheFirstHeadThatDisagrees() async throws {
        let (database, _, heads) = try await Self.tenEntries()
        try await database.tamper("UPDATE audit_log SET action = 'cn.gov.fangxian.shuangjian.registry.unit.retired.v1' WHERE seq = 7")
        try await database.rehash(from: 7)
        #expect(try await Self.verify(database, []).passed, "the rehashed log is consistent with itself")

        let report = try await Self.verify(database, heads)
        #expect(report.firstProblem?.seq == 7)
        let message = report.firstProblem?.message ?? ""
        #expect(message.hasPrefix("entry 7 was rewritten after the head for seq 7 published at"), "\(message)")
        #expect(message.contains("the last head that agrees is the head for seq 6"), "\(message)")

        // With heads only every few entries, the range between the last agreeing and first disagreeing head.
        let sparse = try await Self.verify(database, [heads[3], heads[8]])
        #expect(sparse.firstProblem?.seq == 5)
        #expect(sparse.firstProblem?.message.hasPrefix("entries 5…9 were rewritten (the rewrite lies in that range) after the head for seq 9") == true,
                "\(sparse.problems)")
        await database.close()
    }

    @Test func aForgedHeadIsNamedWhenALaterHeadAgrees() async throws {
        let (database, _, heads) = try await Self.tenEntries()
        var forged = heads[3]
        forged.hash = String(repeating: "ab", count: 32)
        let report = try await Self.verify(database, heads + [forged])
        #expect(report.firstProblem?.seq == 4)
        let message = report.firstProblem?.message ?? ""
        #expect(message.hasPrefix("the head for seq 4 published at"), "\(message)")
        #expect(message.contains("is forged") && message.contains("the hash chain proves entries 1…5"), "\(message)")
        await database.close()
    }

    @Test func headsOfAnotherChainFailUnlessIgnored() async throws {
        let (database, _, heads) = try await Self.tenEntries()
        let replaced = UUID()
        let old = (1...3).map { PublishedHead(service: Self.service, chainId: replaced, seq: Int64($0), hash: String(repeating: "1", count: 64), publishedAt: Date()) }
        let report = try await Self.verify(database, heads + old)
        #expect(report.firstProblem?.seq == nil)
        let message = report.firstProblem?.message ?? ""
        #expect(message.contains("3 heads of another chain \(replaced.uuidString.lowercased())"), "\(message)")
        #expect(message.contains("--ignore-chain \(replaced.uuidString.lowercased())"), "\(message)")
        let ignored = try await Self.verify(database, heads + old, ignoring: [replaced])
        #expect(ignored.passed, "\(ignored.problems)")
        #expect(ignored.headsIgnored == 3 && ignored.headsChecked == 10)
        await database.close()
    }

    @Test func anEmptyChainPasses() async throws {
        let database = try await AuditDatabase.make()
        let report = try await Self.verify(database, [])
        #expect(report.passed && report.entriesChecked == 0 && report.head.seq == 0)
        await database.close()
    }
}
