import Domain
import EventFlow
import Foundation
import Postgres
import ServiceKit

/// SQL for campaigns and their draws.
enum CampaignStore {
    static let table = AggregateTable<Campaign, UUID>(
        name: "campaign", find: { try await find($0, $1) },
        lock: { try await lock($0, on: $1) }, update: { try await update($0, on: $1) })

    static func find(_ id: UUID, _ pool: PostgresPool) async throws -> Campaign? {
        try await pool.query("SELECT state FROM campaigns WHERE id = \(id)").jsonValue()
    }

    static func find(_ id: UUID, on connection: PostgresConnection) async throws -> Campaign? {
        try await connection.query("SELECT state FROM campaigns WHERE id = \(id)").jsonValue()
    }

    static func lock(_ id: UUID, on connection: PostgresConnection) async throws -> Campaign? {
        try await connection.query("SELECT state FROM campaigns WHERE id = \(id) FOR UPDATE").jsonValue()
    }

    static func insert(_ campaign: Campaign, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            INSERT INTO campaigns (id, status, opened_at, state, version)
            VALUES (\(campaign.id), \(campaign.status.rawValue), \(campaign.openedAt), \(StoredJSON(campaign)), \(campaign.version))
            """)
    }

    static func update(_ campaign: Campaign, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            UPDATE campaigns SET status = \(campaign.status.rawValue), state = \(StoredJSON(campaign)), version = \(campaign.version)
            WHERE id = \(campaign.id)
            """)
    }

    typealias Page = ResultPage<Campaign>

    static func search(status: Campaign.Status?, page: Int, pageSize: Int, _ pool: PostgresPool) async throws -> Page {
        let status = status?.rawValue
        let total = try await pool.query("""
            SELECT count(*)::int FROM campaigns WHERE (\(status)::text IS NULL OR status = \(status))
            """)[0].decode(0, as: Int.self)
        let items = try await pool.query("""
            SELECT state FROM campaigns WHERE (\(status)::text IS NULL OR status = \(status))
            ORDER BY opened_at DESC, id LIMIT \(pageSize) OFFSET \((page - 1) * pageSize)
            """).jsonValues(Campaign.self)
        return Page(items: items, page: page, pageSize: pageSize, total: total)
    }

    // MARK: - Draws

    static func insert(_ draw: DrawRecord, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            INSERT INTO campaign_draws (id, campaign_id, drawn_at, state)
            VALUES (\(draw.id), \(draw.campaignId), \(draw.drawnAt), \(StoredJSON(draw)))
            """)
    }

    static func draw(_ id: UUID, of campaignId: UUID, _ pool: PostgresPool) async throws -> DrawRecord? {
        try await pool.query("SELECT state FROM campaign_draws WHERE id = \(id) AND campaign_id = \(campaignId)").jsonValue()
    }

    static func draws(of campaignId: UUID, _ pool: PostgresPool) async throws -> [DrawRecord] {
        try await pool.query("SELECT state FROM campaign_draws WHERE campaign_id = \(campaignId) ORDER BY drawn_at, id")
            .jsonValues(DrawRecord.self)
    }
}
