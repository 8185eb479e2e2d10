import Foundation
import Postgres

/// SQL for membership proposals.
enum ProposalStore {
    static func list(status: ProposalStatus?, _ pool: PostgresPool) async throws -> [MembershipProposal] {
        var query: PostgresQuery = "SELECT state::text FROM membership_proposals"
        if let status { query.append(" WHERE status = \(status.rawValue)") }
        query.append(" ORDER BY created_at, id")
        return try await pool.query(query).states()
    }

    static func find(_ id: UUID, _ pool: PostgresPool) async throws -> MembershipProposal? {
        try await pool.query("SELECT state::text FROM membership_proposals WHERE id = \(id)").state()
    }

    static func lock(_ id: UUID, on connection: PostgresConnection) async throws -> MembershipProposal? {
        try await connection.query("SELECT state::text FROM membership_proposals WHERE id = \(id) FOR UPDATE").state()
    }

    static func insert(_ proposal: MembershipProposal, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            INSERT INTO membership_proposals (id, unit_name, status, state, version, created_at)
            VALUES (\(proposal.id), \(proposal.unitName), \(proposal.status.rawValue),
                    \(try StateJSON.encode(proposal))::jsonb, \(proposal.version), \(proposal.proposed.at))
            """)
    }

    static func update(_ proposal: MembershipProposal, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            UPDATE membership_proposals SET status = \(proposal.status.rawValue),
                state = \(try StateJSON.encode(proposal))::jsonb, version = \(proposal.version)
            WHERE id = \(proposal.id)
            """)
    }
}
