import EventFlow
import Foundation
import Postgres
import ServiceKit

/// SQL for membership proposals.
enum ProposalStore {
    /// Locks and writes a proposal for `PostgresPool.change`.
    static let table = AggregateTable<MembershipProposal, UUID>(
        name: "proposal", find: { try await find($0, $1) },
        lock: { try await lock($0, on: $1) }, update: { try await update($0, on: $1) })

    static func list(status: ProposalStatus?, _ pool: PostgresPool) async throws -> [MembershipProposal] {
        var query: PostgresQuery = "SELECT state FROM membership_proposals"
        if let status { query.append(" WHERE status = \(status.rawValue)") }
        query.append(" ORDER BY created_at, id")
        return try await pool.query(query).jsonValues()
    }

    static func find(_ id: UUID, _ pool: PostgresPool) async throws -> MembershipProposal? {
        try await pool.query("SELECT state FROM membership_proposals WHERE id = \(id)").jsonValue()
    }

    static func lock(_ id: UUID, on connection: PostgresConnection) async throws -> MembershipProposal? {
        try await connection.query("SELECT state FROM membership_proposals WHERE id = \(id) FOR UPDATE").jsonValue()
    }

    static func insert(_ proposal: MembershipProposal, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            INSERT INTO membership_proposals (id, unit_name, status, state, version, created_at)
            VALUES (\(proposal.id), \(proposal.unitName), \(proposal.status.rawValue),
                    \(StoredJSON(proposal)), \(proposal.version), \(proposal.proposed.at))
            """)
    }

    static func update(_ proposal: MembershipProposal, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            UPDATE membership_proposals SET status = \(proposal.status.rawValue),
                state = \(StoredJSON(proposal)), version = \(proposal.version)
            WHERE id = \(proposal.id)
            """)
    }
}
