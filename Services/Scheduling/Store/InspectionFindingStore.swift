import Domain
import EventFlow
import Foundation
import Postgres

/// SQL for `inspection_findings`: the findings as the inspection service's
/// events told them (Migrations/030_inspection_inbound.sql).
enum InspectionFindingStore {
    struct Noted: Sendable, Equatable {
        var status: String
        var rectificationId: String?
        var version: Int
        var closedAt: Date?
    }

    /// Records the finding's state unless a later version was recorded
    /// already; false when this one is older (nothing written).
    static func note(
        id: UUID, unitId: String, status: String, rectificationId: String?, version: Int, closedAt: Date?, updatedAt: Date,
        on connection: PostgresConnection
    ) async throws -> Bool {
        try await connection.execute("""
            INSERT INTO inspection_findings (id, unit_id, status, rectification_id, version, closed_at, updated_at)
            VALUES (\(id), \(unitId), \(status), \(rectificationId), \(version), \(closedAt), \(updatedAt))
            ON CONFLICT (id) DO UPDATE SET unit_id = EXCLUDED.unit_id, status = EXCLUDED.status,
                rectification_id = EXCLUDED.rectification_id, version = EXCLUDED.version,
                closed_at = EXCLUDED.closed_at, updated_at = EXCLUDED.updated_at
            WHERE inspection_findings.version <= EXCLUDED.version
            """) > 0
    }

    static func find(_ id: UUID, on connection: PostgresConnection) async throws -> Noted? {
        let rows = try await connection.query("""
            SELECT status, rectification_id, version, closed_at FROM inspection_findings WHERE id = \(id)
            """)
        guard let row = rows.first else { return nil }
        return Noted(
            status: try row.decode(0, as: String.self), rectificationId: try row.decode(1, as: String?.self),
            version: try row.decode(2, as: Int.self), closedAt: try row.decode(3, as: Date?.self))
    }
}

extension AdHocRequestStore {
    /// Stores a request made from another service's event; false when one
    /// with its id exists already (a replayed event: nothing written).
    static func insertIfAbsent(_ request: AdHocRequest, on connection: PostgresConnection) async throws -> Bool {
        try await connection.execute("""
            INSERT INTO ad_hoc_requests (id, status, state, version, updated_at)
            VALUES (\(request.id), \(request.status.rawValue), \(StoredJSON(request)), \(request.version), \(request.updatedAt))
            ON CONFLICT (id) DO NOTHING
            """) > 0
    }
}
