import Postgres

/// Which events a consumer group has applied, from its inbox in the service's
/// database. An `unknown-type` row is not applied: the group skipped it.
struct InboxLookup {
    let pool: PostgresPool
    let group: String

    struct Key: Hashable {
        var source: String
        var id: String
    }

    func applied(_ keys: [Key]) async throws -> Set<Key> {
        guard !keys.isEmpty else { return [] }
        let rows = try await pool.query("""
            SELECT source, id FROM inbox
            WHERE consumer = \(group) AND outcome = 'applied'
              AND (source, id) IN (SELECT s, i FROM unnest(\(keys.map(\.source)), \(keys.map(\.id))) AS k(s, i))
            """)
        var applied = Set<Key>()
        for row in rows {
            let (source, id) = try row.decode((String, String).self)
            applied.insert(Key(source: source, id: id))
        }
        return applied
    }
}
