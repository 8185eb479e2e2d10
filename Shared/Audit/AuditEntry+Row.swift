import Foundation
import Postgres

extension AuditEntry {
    /// The columns `init(row:)` reads, in its order.
    static let columns: PostgresQuery =
        "seq, at, actor_subject, actor_role, actor_unit, action, aggregate_type, aggregate_id, digest, hash"

    init(row: PostgresRow) throws {
        let (seq, at, subject, role, unit, action, aggregateType, aggregateId, digest, hash) =
            try row.decode((Int64, Date, String, String, String?, String, String, String, String, Data).self)
        self.init(
            seq: seq, at: at, actor: AuditActor(subject: subject, role: role, unitId: unit), action: action,
            aggregateType: aggregateType, aggregateId: aggregateId, digest: digest, hash: Array(hash))
    }
}
