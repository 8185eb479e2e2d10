import Domain
import EventFlow
import Foundation
import Postgres
import ServiceKit

/// SQL for inspections.
enum InspectionStore {
    static let table = AggregateTable<Inspection, UUID>(
        name: "inspection", find: { try await find($0, $1) },
        lock: { try await lock($0, on: $1) }, update: { try await update($0, on: $1) })

    static func find(_ id: UUID, _ pool: PostgresPool) async throws -> Inspection? {
        try await pool.query("SELECT state FROM inspections WHERE id = \(id)").jsonValue()
    }

    static func lock(_ id: UUID, on connection: PostgresConnection) async throws -> Inspection? {
        try await connection.query("SELECT state FROM inspections WHERE id = \(id) FOR UPDATE").jsonValue()
    }

    /// The subject key an inspection is unique by within its campaign.
    static func subjectKey(_ inspection: Inspection) -> String {
        if let unitId = inspection.unitId { return "unit:\(unitId)" }
        return "institution:\(inspection.institutionId?.uuidString.lowercased() ?? "")"
    }

    /// Inserts it; false when the campaign inspects that subject already.
    static func insert(_ inspection: Inspection, on connection: PostgresConnection) async throws -> Bool {
        try await connection.execute("""
            INSERT INTO inspections (id, campaign_id, subject_key, unit_id, status, inspector_ids, assigned_at, state, version)
            VALUES (\(inspection.id), \(inspection.campaignId), \(subjectKey(inspection)), \(inspection.unitId),
                    \(inspection.status.rawValue), \(inspection.inspectorIds.map { $0.uuidString.lowercased() })::uuid[],
                    \(inspection.assignedAt), \(StoredJSON(inspection)), \(inspection.version))
            ON CONFLICT (campaign_id, subject_key) DO NOTHING
            """) > 0
    }

    static func update(_ inspection: Inspection, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            UPDATE inspections SET status = \(inspection.status.rawValue), state = \(StoredJSON(inspection)),
                version = \(inspection.version)
            WHERE id = \(inspection.id)
            """)
    }

    /// A campaign's inspections, in the order assigned.
    static func all(of campaignId: UUID, on connection: PostgresConnection) async throws -> [Inspection] {
        try await connection.query("SELECT state FROM inspections WHERE campaign_id = \(campaignId) ORDER BY assigned_at, id")
            .jsonValues(Inspection.self)
    }

    /// The subject keys a campaign inspects already.
    static func subjectKeys(of campaignId: UUID, on connection: PostgresConnection) async throws -> Set<String> {
        Set(try await connection.query("SELECT subject_key FROM inspections WHERE campaign_id = \(campaignId)")
            .map { try $0.decode(0, as: String.self) })
    }

    struct Search: Sendable {
        var campaignId: UUID?
        var unitId: String?
        var status: Inspection.Status?
        /// A `unit` token: only its unit's inspections and those it inspects (its subject a person id).
        var visibleTo: (unitId: String, personId: String)?
        var page: Int
        var pageSize: Int
    }

    typealias Page = ResultPage<Inspection>

    static func search(_ search: Search, _ pool: PostgresPool) async throws -> Page {
        var filter: PostgresQuery = " WHERE true"
        if let campaignId = search.campaignId { filter.append(" AND campaign_id = \(campaignId)") }
        if let unitId = search.unitId { filter.append(" AND unit_id = \(unitId)") }
        if let status = search.status { filter.append(" AND status = \(status.rawValue)") }
        if let visible = search.visibleTo {
            filter.append(" AND (unit_id = \(visible.unitId) OR \(visible.personId.lowercased()) = ANY(inspector_ids::text[]))")
        }
        var count: PostgresQuery = "SELECT count(*)::int FROM inspections"
        count.append(filter)
        let total = try await pool.query(count)[0].decode(0, as: Int.self)
        var rows: PostgresQuery = "SELECT state FROM inspections"
        rows.append(filter)
        rows.append(" ORDER BY assigned_at, id LIMIT \(search.pageSize) OFFSET \((search.page - 1) * search.pageSize)")
        return Page(items: try await pool.query(rows).jsonValues(Inspection.self), page: search.page, pageSize: search.pageSize, total: total)
    }
}
