import Audit
import Foundation
import Postgres
import Testing

/// Appending against a real PostgreSQL: the chain as stored, the database
/// refusing changes, rolled-back transactions, concurrent writers.
@Suite struct AuditAppendTests {
    @Test func appendedEntriesReadBackAsWrittenAndFormOneChain() async throws {
        let database = try await AuditDatabase.make()
        let actor = AuditActor(subject: "liaison-7", role: "unit", unitId: "education-bureau")
        let records = (1...3).map {
            AuditRecord(action: "cn.gov.fangxian.shuangjian.registry.unit.updated.v1", aggregateType: "unit",
                        aggregateId: "education-bureau", digesting: Array("state \($0)".utf8))
        }
        let at = Date(timeIntervalSince1970: 1_772_352_000.987_654)
        let written = try await database.pool.transaction { connection in
            try await AuditLog.append(records, by: actor, at: at, on: connection)
        }
        #expect(written.map(\.seq) == [1, 2, 3])
        #expect(written.allSatisfy { $0.at == AuditChainHash.roundedToMillisecond(at) && $0.actor == actor })
        let more = try await database.append(2)
        #expect(more.map(\.seq) == [4, 5])

        let read = try await AuditLog.entries(pageSize: 200, in: database.pool)
        #expect(read.items == written + more, "entries read back differ from those written")
        var previous = AuditChainHash.genesis
        for entry in read.items {
            #expect(entry.hashMatches(previous: previous), "entry \(entry.seq)")
            previous = entry.hash
        }
        let head = try await AuditLog.head(in: database.pool)
        #expect(head.seq == 5 && head.hash == previous)
        await database.close()
    }

    @Test func theDatabaseRefusesUpdateDeleteAndTruncate() async throws {
        let database = try await AuditDatabase.make()
        try await database.append(2)
        for statement in [
            "UPDATE audit_log SET action = 'rewritten' WHERE seq = 1",
            "DELETE FROM audit_log WHERE seq = 2",
            "UPDATE audit_log SET action = 'x' WHERE seq = 99",  // even matching nothing
            "TRUNCATE audit_log",
            "DELETE FROM audit_chain",
            "UPDATE audit_chain SET head_seq = 0",
        ] {
            do {
                try await database.pool.execute(PostgresQuery(unsafeSQL: statement))
                Issue.record("\(statement) was accepted")
            } catch let error as PostgresError {
                #expect(error.sqlState == "42501", "\(statement): \(error)")
                #expect(error.message.contains("audit_log is append-only") || error.message.contains("audit_chain"), "\(statement): \(error)")
            }
        }
        let stored = try await AuditLog.entries(in: database.pool)
        #expect(stored.total == 2 && stored.items.map(\.action).allSatisfy { $0.hasSuffix(".updated.v1") })
        #expect(try await AuditLog.head(in: database.pool).seq == 2)
        await database.close()
    }

    @Test func aRolledBackTransactionLeavesNoEntryAndNoHeadChange() async throws {
        let database = try await AuditDatabase.make()
        try await database.append(1)
        let before = try await AuditLog.head(in: database.pool)
        struct RequestFailed: Error {}
        await #expect(throws: RequestFailed.self) {
            try await database.pool.transaction { connection in
                try await AuditLog.append(
                    AuditRecord(action: "a", aggregateType: "unit", aggregateId: "unit-9", digesting: Array("x".utf8)),
                    by: AuditEnv.actor, at: Date(), on: connection)
                throw RequestFailed()
            }
        }
        #expect(try await AuditLog.head(in: database.pool) == before)
        #expect(try await AuditLog.entries(aggregate: "unit-9", in: database.pool).total == 0)
        // The next entry takes the sequence number the rolled-back one had.
        let next = try await database.append(1)
        #expect(next.map(\.seq) == [2])
        #expect(next[0].hashMatches(previous: before.hash))
        await database.close()
    }

    @Test func appendingOutsideATransactionIsRefused() async throws {
        let database = try await AuditDatabase.make()
        await #expect(throws: AuditError.self) {
            try await database.pool.withConnection { connection in
                try await AuditLog.append(
                    AuditRecord(action: "a", aggregateType: "t", aggregateId: "i", digesting: Array("x".utf8)),
                    by: AuditEnv.actor, at: Date(), on: connection)
            }
        }
        await #expect(throws: AuditError.self) {
            try await database.pool.transaction { connection in
                try await AuditLog.append(
                    AuditRecord(action: "a", aggregateType: "t", aggregateId: "i", digest: "not-a-digest"),
                    by: AuditEnv.actor, at: Date(), on: connection)
            }
        }
        #expect(try await AuditLog.head(in: database.pool).seq == 0)
        await database.close()
    }

    /// 12 writers on 12 connections, 15 transactions each, some of 2
    /// entries: the head lock makes one chain, 1…N without a gap, that verifies.
    @Test func concurrentWritersKeepOneGapFreeChain() async throws {
        let writers = 12, transactions = 15
        let database = try await AuditDatabase.make(poolSize: writers)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    let actor = AuditActor(subject: "writer-\(writer)", role: "office")
                    for index in 0..<transactions {
                        let records = (0..<(index % 2 + 1)).map { part in
                            AuditRecord(action: "act", aggregateType: "unit", aggregateId: "w\(writer)",
                                        digesting: Array("\(writer)/\(index)/\(part)".utf8))
                        }
                        _ = try await database.pool.transaction { connection in
                            try await AuditLog.append(records, by: actor, at: Date(), on: connection)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let expected = writers * (transactions / 2 * 3 + transactions % 2)
        let page = try await AuditLog.entries(pageSize: 200, in: database.pool)
        var all = page.items
        var number = 1
        while all.count < page.total {
            number += 1
            all += try await AuditLog.entries(page: number, pageSize: 200, in: database.pool).items
        }
        #expect(all.count == expected)
        #expect(all.map(\.seq) == Array(1...Int64(expected)))
        // Each writer's entries are in its own order, interleaved with the others'.
        #expect(Set(all.map(\.actor.subject)).count == writers)
        let report = try await AuditVerifier.verify(service: "registry", pool: database.pool, heads: [])
        #expect(report.passed, "\(report.problems)")
        #expect(report.entriesChecked == expected && report.head.seq == Int64(expected))
        await database.close()
    }
}
