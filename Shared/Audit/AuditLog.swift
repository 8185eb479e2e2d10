import Foundation
import Metrics
import Postgres

/// A service's hash-chained, append-only audit log (DESIGN.md §4,
/// docs/architecture.md "Audit trail").
///
/// A write path records its act in the same transaction as the state change
/// and the outbox events, as its last write:
///
/// ```swift
/// try await pool.transaction { connection in
///     … lock and change the aggregate …
///     try await Outbox.append(events, on: connection)
///     try await AuditLog.append(events.map(AuditRecord.init), by: actor, at: clock.now, on: connection)
/// }
/// ```
///
/// Appending locks the chain head (`audit_chain … FOR UPDATE`) until the
/// transaction ends: concurrent writers append one after the other, so the
/// sequence has no gaps and each entry's hash covers the one before; a
/// transaction that rolls back leaves neither entries nor a moved head.
/// Being the last write keeps that lock short and its order after the
/// aggregate's row locks (no deadlock between writers).
public enum AuditLog {
    /// Appends one entry per record, in order, all by `actor` at `at` (stored
    /// to the millisecond): one head lock, one multi-row INSERT, one head
    /// update. Returns the entries as stored. Throws `AuditError.notInTransaction`
    /// outside a transaction.
    @discardableResult
    public static func append(
        _ records: [AuditRecord], by actor: AuditActor, at: Date, on connection: PostgresConnection
    ) async throws -> [AuditEntry] {
        guard !records.isEmpty else { return [] }
        guard await connection.isInTransaction else { throw AuditError.notInTransaction }
        for record in records where !AuditRecord.isDigest(record.digest) {
            throw AuditError.invalidDigest(record.digest)
        }
        let rows = try await connection.query("SELECT head_seq, head_hash FROM audit_chain FOR UPDATE")
        guard let row = rows.first else { throw AuditError.noChain }
        let (headSeq, headHash) = try row.decode((Int64, Data).self)

        var entries: [AuditEntry] = []
        entries.reserveCapacity(records.count)
        var previous = Array(headHash)
        for (offset, record) in records.enumerated() {
            let entry = AuditEntry(seq: headSeq + 1 + Int64(offset), at: at, actor: actor, record: record, previousHash: previous)
            entries.append(entry)
            previous = entry.hash
        }
        try await insert(entries, actor: actor, on: connection)
        let last = entries[entries.count - 1]
        try await connection.execute("UPDATE audit_chain SET head_seq = \(last.seq), head_hash = \(Data(last.hash))")
        AuditMetrics.appended.increment(by: Int64(entries.count))
        return entries
    }

    @discardableResult
    public static func append(
        _ record: AuditRecord, by actor: AuditActor, at: Date, on connection: PostgresConnection
    ) async throws -> AuditEntry {
        try await append([record], by: actor, at: at, on: connection)[0]
    }

    /// One statement for the whole batch: the per-entry fields as parallel
    /// arrays (unnest keeps their order), the shared ones as scalars.
    private static func insert(_ entries: [AuditEntry], actor: AuditActor, on connection: PostgresConnection) async throws {
        var seqs: [String] = [], actions: [String] = [], types: [String] = [], ids: [String] = []
        var digests: [String] = [], hashes: [String] = []
        for entry in entries {
            seqs.append(String(entry.seq))
            actions.append(entry.action)
            types.append(entry.aggregateType)
            ids.append(entry.aggregateId)
            digests.append(entry.digest)
            hashes.append(entry.hashHex)
        }
        try await connection.execute("""
            INSERT INTO audit_log (seq, at, actor_subject, actor_role, actor_unit, action, aggregate_type, aggregate_id, digest, hash)
            SELECT e.seq::bigint, \(entries[0].at), \(actor.subject), \(actor.role), \(actor.unitId),
                   e.action, e.aggregate_type, e.aggregate_id, e.digest, decode(e.hash, 'hex')
            FROM unnest(\(seqs), \(actions), \(types), \(ids), \(digests), \(hashes))
                 AS e(seq, action, aggregate_type, aggregate_id, digest, hash)
            """)
    }
}
