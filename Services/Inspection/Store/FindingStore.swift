import Domain
import EventFlow
import Foundation
import Postgres
import ServiceKit

/// SQL for findings.
enum FindingStore {
    static let table = AggregateTable<Finding, UUID>(
        name: "finding", find: { try await find($0, $1) },
        lock: { try await lock($0, on: $1) }, update: { try await update($0, on: $1) })

    static func find(_ id: UUID, _ pool: PostgresPool) async throws -> Finding? {
        try await pool.query("SELECT state FROM findings WHERE id = \(id)").jsonValue()
    }

    static func lock(_ id: UUID, on connection: PostgresConnection) async throws -> Finding? {
        try await connection.query("SELECT state FROM findings WHERE id = \(id) FOR UPDATE").jsonValue()
    }

    /// The finding whose current round is `reference` (`<finding id>/<round>`), locked.
    static func lock(rectification reference: String, on connection: PostgresConnection) async throws -> Finding? {
        try await connection.query("SELECT state FROM findings WHERE rectification_id = \(reference) FOR UPDATE").jsonValue()
    }

    static func insert(_ finding: Finding, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            INSERT INTO findings (id, campaign_id, inspection_id, unit_id, status, rectification_id, raised_at, state, version)
            VALUES (\(finding.id), \(finding.campaignId), \(finding.inspectionId), \(finding.unitId), \(finding.status.rawValue),
                    \(finding.rectification?.id), \(finding.raisedAt), \(StoredJSON(finding)), \(finding.version))
            """)
    }

    static func update(_ finding: Finding, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            UPDATE findings SET status = \(finding.status.rawValue), rectification_id = \(finding.rectification?.id),
                state = \(StoredJSON(finding)), version = \(finding.version)
            WHERE id = \(finding.id)
            """)
    }

    /// A campaign's findings, in the order raised.
    static func all(of campaignId: UUID, on connection: PostgresConnection) async throws -> [Finding] {
        try await connection.query("SELECT state FROM findings WHERE campaign_id = \(campaignId) ORDER BY raised_at, id")
            .jsonValues(Finding.self)
    }

    struct Search: Sendable {
        var campaignId: UUID?
        var unitId: String?
        var status: Finding.Status?
        var page: Int
        var pageSize: Int
    }

    typealias Page = ResultPage<Finding>

    static func search(_ search: Search, _ pool: PostgresPool) async throws -> Page {
        var filter: PostgresQuery = " WHERE true"
        if let campaignId = search.campaignId { filter.append(" AND campaign_id = \(campaignId)") }
        if let unitId = search.unitId { filter.append(" AND unit_id = \(unitId)") }
        if let status = search.status { filter.append(" AND status = \(status.rawValue)") }
        var count: PostgresQuery = "SELECT count(*)::int FROM findings"
        count.append(filter)
        let total = try await pool.query(count)[0].decode(0, as: Int.self)
        var rows: PostgresQuery = "SELECT state FROM findings"
        rows.append(filter)
        rows.append(" ORDER BY raised_at, id LIMIT \(search.pageSize) OFFSET \((search.page - 1) * search.pageSize)")
        return Page(items: try await pool.query(rows).jsonValues(Finding.self), page: search.page, pageSize: search.pageSize, total: total)
    }
}
