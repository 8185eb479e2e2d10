import Foundation
import Postgres

/// SQL for channel configuration. The sealed secret is written here and
/// read only by the delivery worker; nothing here returns it.
enum ChannelStore {
    static let columns = "id, owner_kind, owner_id, channel, endpoint, secret IS NOT NULL, enabled, priority, updated_at"

    static func decode(_ row: PostgresRow) throws -> ChannelConfig {
        let (id, kind, owner, channel, endpoint, hasSecret, enabled, priority, updated) =
            try row.decode((UUID, ChannelConfig.OwnerKind, String, Channel, String, Bool, Bool, Int, Date).self)
        return ChannelConfig(
            id: id, ownerKind: kind, ownerId: owner,
            channel: channel, endpoint: masked(endpoint), hasSecret: hasSecret, enabled: enabled,
            priority: priority, updatedAt: updated)
    }

    /// A robot's URL carries its credential (`access_token=`, `key=`): like a
    /// secret it is never returned whole — every query value shows only its
    /// last four characters.
    static func masked(_ endpoint: String) -> String {
        guard var components = URLComponents(string: endpoint), let items = components.queryItems, !items.isEmpty else {
            return endpoint
        }
        components.queryItems = items.map { item in
            guard let value = item.value, !value.isEmpty else { return item }
            return URLQueryItem(name: item.name, value: "****" + value.suffix(4))
        }
        return components.string ?? endpoint
    }

    static func list(ownerKind: ChannelConfig.OwnerKind?, ownerId: String?, _ pool: PostgresPool) async throws -> [ChannelConfig] {
        var query: PostgresQuery = "SELECT \(unsafeRaw: columns) FROM channel_configs WHERE true"
        if let ownerKind { query.append(" AND owner_kind = \(ownerKind)") }
        if let ownerId { query.append(" AND owner_id = \(ownerId.lowercased())") }
        query.append(" ORDER BY owner_kind, owner_id, channel")
        return try await pool.query(query).map(decode)
    }

    /// The ids (lower case) of a unit's people in the directory.
    static func people(ofUnit unit: String, _ pool: PostgresPool) async throws -> Set<String> {
        Set(try await pool.query("SELECT id FROM directory_people WHERE unit_id = \(unit)")
            .map { try $0.decode(0, as: UUID.self).uuidString.lowercased() })
    }

    /// The unit an owner belongs to (a unit is its own); nil if the directory does not know it.
    static func unit(ofOwner kind: ChannelConfig.OwnerKind, _ owner: String, on connection: PostgresConnection) async throws -> String? {
        switch kind {
        case .unit:
            return try await connection.query("SELECT id FROM directory_units WHERE id = \(owner)").first?.decode(0, as: String.self)
        case .person:
            guard let id = UUID(uuidString: owner) else { return nil }
            guard let row = try await connection.query("SELECT coalesce(unit_id, '') FROM directory_people WHERE id = \(id)").first else {
                return nil
            }
            return try row.decode(0, as: String.self)
        }
    }

    /// Creates or replaces a configuration. `sealedSecret` nil with
    /// `keepSecret` keeps the stored secret; `priority` nil keeps the stored
    /// priority (`ChannelConfig.defaultPriority` for a new one).
    static func upsert(
        kind: ChannelConfig.OwnerKind, owner: String, channel: Channel, endpoint: String, sealedSecret: Data?,
        keepSecret: Bool, enabled: Bool, priority: Int?, at: Date, on connection: PostgresConnection
    ) async throws -> ChannelConfig {
        try await connection.query("""
            INSERT INTO channel_configs (id, owner_kind, owner_id, channel, endpoint, secret, enabled, priority, created_at, updated_at)
            VALUES (\(UUID()), \(kind), \(owner), \(channel), \(endpoint), \(sealedSecret), \(enabled),
                    \(priority ?? ChannelConfig.defaultPriority), \(at), \(at))
            ON CONFLICT (owner_kind, owner_id, channel) DO UPDATE SET
                endpoint = EXCLUDED.endpoint,
                secret = CASE WHEN \(keepSecret) THEN channel_configs.secret ELSE EXCLUDED.secret END,
                enabled = EXCLUDED.enabled,
                priority = CASE WHEN \(priority == nil) THEN channel_configs.priority ELSE EXCLUDED.priority END,
                updated_at = EXCLUDED.updated_at
            RETURNING \(unsafeRaw: columns)
            """).map(decode)[0]
    }

    /// Disables rather than deletes: past deliveries keep pointing at it.
    /// The disabled configuration; nil when there is none.
    static func disable(
        kind: ChannelConfig.OwnerKind, owner: String, channel: Channel, at: Date, on connection: PostgresConnection
    ) async throws -> ChannelConfig? {
        try await connection.query("""
            UPDATE channel_configs SET enabled = false, updated_at = \(at)
            WHERE owner_kind = \(kind) AND owner_id = \(owner) AND channel = \(channel)
            RETURNING \(unsafeRaw: columns)
            """).first.map(decode)
    }
}
