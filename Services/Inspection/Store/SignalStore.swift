import Domain
import EventFlow
import Foundation
import Postgres

/// SQL for county signals.
enum SignalStore {
    /// Inserts the signal unless its (source, event id) was applied before;
    /// false: a duplicate, nothing written.
    static func insert(_ signal: SignalRecord, on connection: PostgresConnection) async throws -> Bool {
        let inserted = try await connection.execute("""
            INSERT INTO signals (id, source, event_id, kind, severity, subject_key, occurred_at, received_at, via, state)
            VALUES (\(signal.id), \(signal.source), \(signal.eventId), \(signal.kind.rawValue), \(signal.data.severity.rawValue),
                    \(signal.subject.key), \(signal.data.occurredAt), \(signal.receivedAt), \(signal.via.rawValue), \(StoredJSON(signal)))
            ON CONFLICT (source, event_id) DO NOTHING
            """)
        return inserted == 1
    }

    static func find(source: String, eventId: String, on connection: PostgresConnection) async throws -> SignalRecord? {
        try await connection.query("SELECT state FROM signals WHERE source = \(source) AND event_id = \(eventId)").jsonValue()
    }

    static func find(_ id: UUID, _ pool: PostgresPool) async throws -> SignalRecord? {
        try await pool.query("SELECT state FROM signals WHERE id = \(id)").jsonValue()
    }

    /// The subject's signals that occurred after `after`, oldest first.
    static func window(subjectKey: String, after: Date, on connection: PostgresConnection) async throws -> [ScoredSignal] {
        try await connection.query("""
            SELECT state FROM signals WHERE subject_key = \(subjectKey) AND occurred_at > \(after) ORDER BY occurred_at, id
            """).jsonValues(SignalRecord.self).map(\.scored)
    }

    struct Search: Sendable {
        var subjectKey: String?
        var kind: SignalKind?
        var from: Date?
        var to: Date?
        var page: Int
        var pageSize: Int
    }

    struct Page: Codable, Sendable {
        var items: [SignalRecord]
        var page: Int
        var pageSize: Int
        var total: Int
    }

    static func search(_ search: Search, _ pool: PostgresPool) async throws -> Page {
        var filter: PostgresQuery = " WHERE true"
        if let key = search.subjectKey { filter.append(" AND subject_key = \(key)") }
        if let kind = search.kind { filter.append(" AND kind = \(kind.rawValue)") }
        if let from = search.from { filter.append(" AND received_at >= \(from)") }
        if let to = search.to { filter.append(" AND received_at <= \(to)") }
        var count: PostgresQuery = "SELECT count(*)::int FROM signals"
        count.append(filter)
        let total = try await pool.query(count)[0].decode(0, as: Int.self)
        var rows: PostgresQuery = "SELECT state FROM signals"
        rows.append(filter)
        rows.append(" ORDER BY received_at DESC, id LIMIT \(search.pageSize) OFFSET \((search.page - 1) * search.pageSize)")
        return Page(items: try await pool.query(rows).jsonValues(SignalRecord.self), page: search.page,
                    pageSize: search.pageSize, total: total)
    }
}
