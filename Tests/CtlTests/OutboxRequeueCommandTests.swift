import EventFlow
import Foundation
import Postgres
import Testing

/// `sjctl outbox requeue` on a database, run as a process: which rows it
/// re-queues and how it leaves them, a database it has nothing to do in, and
/// bad input. The relay publishing them again to consumers that missed them:
/// OutboxRequeueFlowTests.
@Suite struct OutboxRequeueCommandTests {
    /// One outbox row as the test sees it.
    struct Row: Equatable, CustomStringConvertible {
        var seq: Int64
        var id: UUID
        var published: Bool
        var attempts: Int
        var lastError: String?
        var description: String { "\(seq) \(published ? "published" : "waiting") attempts \(attempts) \(lastError ?? "-")" }
    }

    func rows(_ pool: PostgresPool) async throws -> [Row] {
        try await pool.query("SELECT seq, id, published_at IS NOT NULL, attempts, last_error FROM outbox ORDER BY seq").map {
            let (seq, id, published, attempts, lastError) = try $0.decode((Int64, UUID, Bool, Int, String?).self)
            return Row(seq: seq, id: id, published: published, attempts: attempts, lastError: lastError)
        }
    }

    /// Six events; the first four published (one of them after a failed
    /// delivery), the last two still waiting (one of them failing).
    func outboxWithPublishedAndWaitingRows(_ pool: PostgresPool) async throws {
        let events = try (0..<6).map { n in
            try OutboxEvent(
                topic: "shuangjian.test.requeue", aggregateType: "item", aggregateId: "item-\(n % 2)",
                type: "cn.gov.fangxian.shuangjian.probe.item.changed.v1", payload: ["n": n])
        }
        try await pool.withConnection { try await Outbox.append(events, on: $0) }
        let seqs = try await pool.query("SELECT seq FROM outbox ORDER BY seq").map { try $0.decode(0, as: Int64.self) }
        try await pool.execute("""
            UPDATE outbox SET published_at = now(), attempts = 1 WHERE seq = ANY(\(Array(seqs[0..<4]).map(String.init))::bigint[])
            """)
        try await pool.execute("UPDATE outbox SET attempts = 2, last_error = \("broker down") WHERE seq = \(seqs[2])")
        try await pool.execute("UPDATE outbox SET attempts = 3, last_error = \("message too large") WHERE seq = \(seqs[5])")
    }

    @Test func requeuesExactlyThePublishedRowsAsFreshOnesInTheirOrder() async throws {
        let url = try await CtlDatabases.makeMigrated()
        let pool = CtlDatabases.pool(url)
        defer { Task { await pool.close() } }
        try await outboxWithPublishedAndWaitingRows(pool)
        let before = try await rows(pool)

        let result = try await sjctl(["outbox", "requeue", "--database-url", url])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("re-queued 4 published outbox rows"), "\(result)")
        #expect(result.stdout.contains("(seq \(before[0].seq)–\(before[3].seq))"), "\(result)")
        #expect(result.stdout.contains("2 were not published yet"), "\(result)")

        let after = try await rows(pool)
        // The published ones look freshly written: not published, no attempts, no error.
        #expect(after[0..<4].map { Row(seq: $0.seq, id: $0.id, published: false, attempts: 0, lastError: nil) } == Array(after[0..<4]))
        // The waiting ones are as they were, failures included.
        #expect(Array(after[4...]) == Array(before[4...]))
        // Same seqs and ids, so the relay's query returns them in the original order, with the same ce_id.
        #expect(after.map(\.seq) == before.map(\.seq) && after.map(\.id) == before.map(\.id))
        let relayOrder = try await pool.query("SELECT id FROM outbox WHERE published_at IS NULL ORDER BY seq").map {
            try $0.decode(0, as: UUID.self)
        }
        #expect(relayOrder == before.map(\.id))

        // Again: nothing is published, so nothing to re-queue, and nothing changes.
        let again = try await sjctl(["outbox", "requeue", "--database-url", url])
        #expect(again.status == 0 && again.stdout.contains("re-queued 0 published outbox rows"), "\(again)")
        #expect(again.stdout.contains("6 were not published yet"), "\(again)")
        #expect(try await rows(pool) == after)
    }

    /// The database comes from SJ_DATABASE_URL when no flag names it, as the
    /// services and the other commands read it.
    @Test func theDatabaseComesFromSJDatabaseURLWithoutAFlag() async throws {
        let url = try await CtlDatabases.makeMigrated()
        let pool = CtlDatabases.pool(url)
        defer { Task { await pool.close() } }
        try await outboxWithPublishedAndWaitingRows(pool)
        let result = try await sjctl(["outbox", "requeue"], environment: ["SJ_DATABASE_URL": url])
        #expect(result.status == 0 && result.stdout.contains("re-queued 4 published outbox rows"), "\(result)")
        #expect(try await pool.count("SELECT count(*)::int FROM outbox WHERE published_at IS NOT NULL") == 0)
    }

    @Test func aDatabaseWithoutAnOutboxIsNothingToDo() async throws {
        let url = try await CtlDatabases.make()
        let result = try await sjctl(["outbox", "requeue", "--database-url", url])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("has no outbox table (not migrated yet): nothing to re-queue"), "\(result)")
        let pool = CtlDatabases.pool(url)
        #expect(try await pool.count("SELECT count(*)::int FROM pg_class WHERE relname = 'outbox'") == 0)
        await pool.close()
    }

    @Test func badInputFailsWithAClearMessage() async throws {
        let usage: [([String], String)] = [
            (["outbox", "requeue"], "which database? Give --database-url, set SJ_DATABASE_URL, or name the --service"),
            (["outbox", "requeue", "--database-url", " "], "--database-url is empty"),
            (["outbox", "requeue", "--service", "Registry Service"], "is not a service name"),
            (["outbox", "requeue", "--database-url", "postgresql://x@127.0.0.1:1/x", "--limit", "3"], "Unknown option '--limit'"),
        ]
        for (arguments, message) in usage {
            let result = try await sjctl(arguments, environment: ["SJ_DATABASE_URL": ""])
            #expect(result.status == 64, "\(arguments): \(result)")
            #expect(result.stderr.contains(message), "\(arguments): \(result)")
        }

        // A database that cannot be reached is named (its password masked), exit 1.
        let unreachable = try await sjctl(["outbox", "requeue", "--database-url", "postgresql://shuangjian:hunter2@127.0.0.1:1/shuangjian_registry"])
        #expect(unreachable.status == 1, "\(unreachable)")
        #expect(unreachable.stderr.contains("cannot connect to the database at postgresql://shuangjian:***@127.0.0.1:1/shuangjian_registry"), "\(unreachable)")
        #expect(!unreachable.stderr.contains("hunter2"), "\(unreachable)")
        #expect(unreachable.stdout.isEmpty, "\(unreachable)")

        // A database that does not exist on a server that does.
        let base = try CtlEnv.testDatabaseURL()
        let missing = String(base[..<base.lastIndex(of: "/")!]) + "/ctltest_no_such_database"
        let absent = try await sjctl(["outbox", "requeue", "--database-url", missing])
        #expect(absent.status == 1, "\(absent)")
        #expect(absent.stderr.contains("ctltest_no_such_database"), "\(absent)")
    }
}
