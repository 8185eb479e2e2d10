import Domain
import EventFlow
import Foundation
import Postgres
import ServiceKit

/// SQL for warnings.
enum WarningStore {
    /// Locks and writes a warning for `PostgresPool.change`.
    static let table = AggregateTable<Warning, UUID>(
        name: "warning", find: { try await find($0, $1) },
        lock: { try await lock($0, on: $1) }, update: { try await update($0, on: $1) })

    static func find(_ id: UUID, _ pool: PostgresPool) async throws -> Warning? {
        try await pool.query("SELECT state FROM warnings WHERE id = \(id)").jsonValue()
    }

    static func lock(_ id: UUID, on connection: PostgresConnection) async throws -> Warning? {
        try await connection.query("SELECT state FROM warnings WHERE id = \(id) FOR UPDATE").jsonValue()
    }

    /// The subject's open warning, locked; and when its last warning was closed.
    static func openAndLastClosed(subjectKey: String, on connection: PostgresConnection) async throws -> (Warning?, Date?) {
        let open: Warning? = try await connection.query("""
            SELECT state FROM warnings WHERE subject_key = \(subjectKey) AND status <> 'closed' FOR UPDATE
            """).jsonValue()
        if open != nil { return (open, nil) }
        let closed = try await connection.query("""
            SELECT max(closed_at) FROM warnings WHERE subject_key = \(subjectKey) AND status = 'closed'
            """).first?.decode(0, as: Date?.self) ?? nil
        return (nil, closed)
    }

    static func insert(_ warning: Warning, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            INSERT INTO warnings (id, subject_key, level, status, raised_at, closed_at, state, version)
            VALUES (\(warning.id), \(warning.subject.key), \(warning.level.rawValue), \(warning.status.rawValue),
                    \(warning.raisedAt), \(warning.closed?.at), \(StoredJSON(warning)), \(warning.version))
            """)
    }

    static func update(_ warning: Warning, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            UPDATE warnings SET level = \(warning.level.rawValue), status = \(warning.status.rawValue),
                closed_at = \(warning.closed?.at), state = \(StoredJSON(warning)), version = \(warning.version)
            WHERE id = \(warning.id)
            """)
    }

    struct Search: Sendable {
        var status: Warning.Status?
        var level: WarningLevel?
        var open: Bool?
        var subjectKey: String?
        /// Only warnings one of whose responsible units is this one (a `unit` token).
        var unitId: String?
        var page: Int
        var pageSize: Int
    }

    struct Page: Codable, Sendable {
        var items: [Warning]
        var page: Int
        var pageSize: Int
        var total: Int
    }

    static func search(_ search: Search, _ pool: PostgresPool) async throws -> Page {
        var filter: PostgresQuery = " WHERE true"
        if let status = search.status { filter.append(" AND status = \(status.rawValue)") }
        if let level = search.level { filter.append(" AND level = \(level.rawValue)") }
        if let open = search.open { filter.append(open ? " AND status <> 'closed'" : " AND status = 'closed'") }
        if let key = search.subjectKey { filter.append(" AND subject_key = \(key)") }
        if let unitId = search.unitId {
            filter.append(" AND state -> 'responsibleUnits' @> jsonb_build_array(jsonb_build_object('unitId', \(unitId)::text))")
        }
        var count: PostgresQuery = "SELECT count(*)::int FROM warnings"
        count.append(filter)
        let total = try await pool.query(count)[0].decode(0, as: Int.self)
        var rows: PostgresQuery = "SELECT state FROM warnings"
        rows.append(filter)
        rows.append(" ORDER BY raised_at DESC, id LIMIT \(search.pageSize) OFFSET \((search.page - 1) * search.pageSize)")
        return Page(items: try await pool.query(rows).jsonValues(Warning.self), page: search.page,
                    pageSize: search.pageSize, total: total)
    }

    /// Open warnings by level (the statistics the office reads).
    static func openByLevel(_ pool: PostgresPool) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await pool.query("SELECT level, count(*)::int FROM warnings WHERE status <> 'closed' GROUP BY level") {
            let (level, count) = try row.decode((String, Int).self)
            counts[level] = count
        }
        return counts
    }
}
