import ChannelSecrets
import Foundation
import Postgres

/// The SQL of `sjctl secrets reseal`, on the notification service's database.
enum SecretResealStore {
    /// A stored secret and what it is bound to.
    struct Row: Sendable {
        var id: UUID
        var binding: SecretBinding
        var sealed: Data
    }

    /// The configurations that hold a secret, in a fixed order.
    static func ids(_ pool: PostgresPool) async throws -> [UUID] {
        try await pool.query("SELECT id FROM channel_configs WHERE secret IS NOT NULL ORDER BY id")
            .map { try $0.decode(0, as: UUID.self) }
    }

    /// One configuration's secret, locked until the transaction ends; nil
    /// when it is gone or no longer has one.
    static func lock(_ id: UUID, on connection: PostgresConnection) async throws -> Row? {
        try await connection.query("""
            SELECT owner_kind, owner_id, channel, secret FROM channel_configs WHERE id = \(id) AND secret IS NOT NULL FOR UPDATE
            """).first.map { row in
            let (kind, owner, channel, sealed) = try row.decode((String, String, String, Data).self)
            return Row(id: id, binding: SecretBinding(ownerKind: kind, ownerId: owner, channel: channel), sealed: sealed)
        }
    }

    static func replace(_ id: UUID, with sealed: Data, on connection: PostgresConnection) async throws {
        try await connection.execute("UPDATE channel_configs SET secret = \(sealed) WHERE id = \(id)")
    }
}
