import Foundation
import Postgres

/// Checks a service's audit log: walks the chain from seq 1 recomputing
/// every hash, compares the chain head row with the last entry, and compares
/// every published head (read from `shuangjian.audit.heads` by the caller)
/// with the entry it names. What each finding means: docs/architecture.md,
/// "Audit trail".
public enum AuditVerifier {
    /// `heads`: every head published for `service` (others are skipped).
    /// `ignoringChains`: chain ids whose heads are passed over — a database
    /// deliberately replaced (operations.md). `unreadableHeads`: records on
    /// the heads topic for this service that are not valid heads (each is a problem).
    public static func verify(
        service: String, pool: PostgresPool, heads: [PublishedHead], ignoringChains: Set<UUID> = [],
        unreadableHeads: [String] = []
    ) async throws -> AuditVerificationReport {
        let ours = heads.filter { $0.service == service }
        let ignored = ours.filter { ignoringChains.contains($0.chainId) }
        let considered = ours.filter { !ignoringChains.contains($0.chainId) }
        // One snapshot for the head row and the whole walk, so appends made
        // meanwhile neither show as missing entries nor move the head.
        return try await pool.transaction(isolation: .repeatableRead) { connection in
            let head = try await AuditLog.head(on: connection)
            var check = ChainCheck(head: head, heads: considered)
            try await AuditLog.walk(on: connection) { batch in
                for entry in batch { check.visit(entry) }
                return true
            }
            return AuditVerificationReport(
                service: service, head: head, entriesChecked: check.entriesChecked,
                headsChecked: considered.filter { $0.chainId == head.chainId }.count, headsIgnored: ignored.count,
                problems: unreadableHeads.map { .init(seq: nil, message: $0) } + check.finish())
        }
    }
}
