import Foundation
import Postgres

/// Where a service's chain stands: its id (fixed when the database was
/// created), the last entry's sequence number (0 before the first entry) and
/// that entry's hash (32 zero bytes before the first entry). What the head
/// publisher sends to `shuangjian.audit.heads`.
public struct AuditChainHead: Sendable, Hashable {
    public var chainId: UUID
    public var seq: Int64
    public var hash: [UInt8]

    public init(chainId: UUID, seq: Int64, hash: [UInt8]) {
        self.chainId = chainId
        self.seq = seq
        self.hash = hash
    }

    public var hashHex: String { Hex.encode(hash) }
}

extension AuditLog {
    /// The chain's head as committed (or as this connection's transaction sees it).
    public static func head(on connection: PostgresConnection) async throws -> AuditChainHead {
        try head(from: try await connection.query("SELECT chain_id, head_seq, head_hash FROM audit_chain"))
    }

    public static func head(in pool: PostgresPool) async throws -> AuditChainHead {
        try head(from: try await pool.query("SELECT chain_id, head_seq, head_hash FROM audit_chain"))
    }

    private static func head(from rows: PostgresRows) throws -> AuditChainHead {
        guard let row = rows.first else { throw AuditError.noChain }
        let (chainId, seq, hash) = try row.decode((UUID, Int64, Data).self)
        return AuditChainHead(chainId: chainId, seq: seq, hash: Array(hash))
    }
}
