import EventFlow
import Postgres

/// What `sjctl outbox requeue` did to one database's outbox.
struct OutboxRequeueResult: Sendable, Equatable {
    /// Published rows marked unpublished again.
    var requeued: Int
    /// The lowest and highest `seq` among them (nil when none).
    var seqs: ClosedRange<Int64>?
    /// Rows that were unpublished already and were left as they were.
    var waiting: Int
}

/// The SQL of `sjctl outbox requeue`: every retained published row of the
/// outbox becomes a row the relay has not published yet. The relay reads
/// `published_at IS NULL` in `seq` order (index `outbox_unpublished`), so it
/// publishes them again in their original order, ahead of any row written
/// after them, with the same `id` (the CloudEvent `ce_id`) and the same
/// source: every consumer's inbox, keyed by (consumer, source, id) and never
/// pruned, skips what it already applied.
enum OutboxRequeue {
    /// nil: the database has no outbox table (the service never migrated it),
    /// so there is nothing to re-queue.
    static func run(on pool: PostgresPool) async throws -> OutboxRequeueResult? {
        try await pool.transaction { connection -> OutboxRequeueResult? in
            // Unqualified, as the relay names it: the same search_path finds the same table.
            let table = try await connection.query("SELECT to_regclass(\("outbox"))::text")
            guard try table[0].decode(0, as: String?.self) != nil else { return nil }
            // attempts and last_error belong to the earlier publication: a
            // re-queued row starts like a freshly written one.
            let rows = try await connection.query("""
                WITH requeued AS (
                    UPDATE outbox SET published_at = NULL, attempts = 0, last_error = NULL
                    WHERE published_at IS NOT NULL
                    RETURNING seq)
                SELECT count(*)::bigint, min(seq), max(seq),
                       (SELECT count(*)::bigint FROM outbox WHERE published_at IS NULL)
                FROM requeued
                """)
            let (count, first, last, before) = try rows[0].decode((Int64, Int64?, Int64?, Int64).self)
            // The outbox's trigger wakes the relay on INSERT only; a relay that
            // is running would otherwise find these rows at its next poll.
            // Delivered at COMMIT, and harmless when no relay listens.
            try await connection.execute("SELECT pg_notify(\(OutboxRelay.notifyChannel), '')")
            let seqs: ClosedRange<Int64>? = if let first, let last { first...last } else { nil }
            // The subquery's snapshot predates the UPDATE: it counts only the rows already waiting.
            return OutboxRequeueResult(requeued: Int(count), seqs: seqs, waiting: Int(before))
        }
    }
}
