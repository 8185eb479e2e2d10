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

    /// What scoring needs of each subject: its open warning, locked, and when
    /// its last warning was closed. Subjects with neither are absent.
    static func openAndLastClosed(
        subjectKeys: [String], on connection: PostgresConnection
    ) async throws -> [String: (open: Warning?, lastClosed: Date?)] {
        guard !subjectKeys.isEmpty else { return [:] }
        var found: [String: (open: Warning?, lastClosed: Date?)] = [:]
        for row in try await connection.query("""
            SELECT subject_key, state FROM warnings WHERE subject_key = ANY(\(subjectKeys)) AND status <> 'closed'
            ORDER BY subject_key FOR UPDATE
            """) {
            let key = try row.decode(0, as: String.self)
            found[key] = (try row.json(Warning.self, column: 1), nil)
        }
        for row in try await connection.query("""
            SELECT subject_key, max(closed_at) FROM warnings WHERE subject_key = ANY(\(subjectKeys)) AND status = 'closed'
            GROUP BY subject_key
            """) {
            let (key, closed) = try row.decode((String, Date?).self)
            found[key, default: (nil, nil)].lastClosed = closed
        }
        return found
    }

    /// New warnings, in one statement.
    static func insert(_ warnings: [Warning], on connection: PostgresConnection) async throws {
        guard !warnings.isEmpty else { return }
        let columns = try Columns(warnings)
        try await connection.execute("""
            INSERT INTO warnings (id, subject_key, level, status, raised_at, closed_at, state, version)
            SELECT id::uuid, subject_key, level, status, timestamptz 'epoch' + raised_at::bigint * interval '1 microsecond',
                   timestamptz 'epoch' + NULLIF(closed_at, '')::bigint * interval '1 microsecond',
                   state::jsonb, version::integer
            FROM unnest(\(columns.ids), \(columns.subjectKeys), \(columns.levels), \(columns.statuses), \(columns.raisedAt),
                        \(columns.closedAt), \(columns.states), \(columns.versions))
                 AS w(id, subject_key, level, status, raised_at, closed_at, state, version)
            """)
    }

    static func insert(_ warning: Warning, on connection: PostgresConnection) async throws {
        try await insert([warning], on: connection)
    }

    /// Changed warnings (locked by the caller), in one statement.
    static func update(_ warnings: [Warning], on connection: PostgresConnection) async throws {
        guard !warnings.isEmpty else { return }
        let columns = try Columns(warnings)
        try await connection.execute("""
            UPDATE warnings SET level = w.level, status = w.status,
                closed_at = timestamptz 'epoch' + NULLIF(w.closed_at, '')::bigint * interval '1 microsecond',
                state = w.state::jsonb, version = w.version::integer
            FROM unnest(\(columns.ids), \(columns.levels), \(columns.statuses), \(columns.closedAt), \(columns.states),
                        \(columns.versions)) AS w(id, level, status, closed_at, state, version)
            WHERE warnings.id = w.id::uuid
            """)
    }

    static func update(_ warning: Warning, on connection: PostgresConnection) async throws {
        try await update([warning], on: connection)
    }

    /// Warnings as text arrays (what the driver binds), one per column; times
    /// as `EpochMicroseconds`, an empty `closedAt` is NULL.
    private struct Columns {
        var ids: [String] = [], subjectKeys: [String] = [], levels: [String] = [], statuses: [String] = []
        var raisedAt: [String] = [], closedAt: [String] = [], states: [String] = [], versions: [String] = []

        init(_ warnings: [Warning]) throws {
            for warning in warnings {
                ids.append(warning.id.uuidString)
                subjectKeys.append(warning.subject.key)
                levels.append(warning.level.rawValue)
                statuses.append(warning.status.rawValue)
                raisedAt.append(EpochMicroseconds.text(warning.raisedAt))
                closedAt.append(warning.closed.map { EpochMicroseconds.text($0.at) } ?? "")
                states.append(String(decoding: try EventJSON.encoder.encode(warning), as: UTF8.self))
                versions.append(String(warning.version))
            }
        }
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

    typealias Page = ResultPage<Warning>

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
