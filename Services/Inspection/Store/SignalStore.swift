import Domain
import EventFlow
import Foundation
import Postgres
import ServiceKit

/// SQL for county signals.
enum SignalStore {
    /// Inserts the signals whose (source, event id) was not applied before,
    /// in one statement; returns the ids of those inserted (the others are
    /// duplicates: nothing was written for them — the conflict is the check).
    static func insert(_ signals: [SignalRecord], on connection: PostgresConnection) async throws -> Set<UUID> {
        guard !signals.isEmpty else { return [] }
        var ids: [String] = [], sources: [String] = [], eventIds: [String] = [], kinds: [String] = []
        var severities: [String] = [], subjects: [String] = [], occurred: [String] = [], received: [String] = []
        var vias: [String] = []
        for signal in signals {
            ids.append(signal.id.uuidString)
            sources.append(signal.source)
            eventIds.append(signal.eventId)
            kinds.append(signal.kind.rawValue)
            severities.append(signal.data.severity.rawValue)
            subjects.append(signal.subject.key)
            occurred.append(EpochMicroseconds.text(signal.data.occurredAt))
            received.append(EpochMicroseconds.text(signal.receivedAt))
            vias.append(signal.via.rawValue)
        }
        // The states as one JSON array, written by hand (SignalStateJSON),
        // paired with the columns by position: a text array of JSON documents
        // would escape every quote, and JSONEncoder was the batch's largest cost.
        let states = String(decoding: try SignalStateJSON.array(signals), as: UTF8.self)
        // Text arrays (what the driver binds), cast per column; times as epoch
        // microseconds, exact. A (source, event_id) met twice keeps its first row.
        let rows = try await connection.query("""
            INSERT INTO signals (id, source, event_id, kind, severity, subject_key, occurred_at, received_at, via, state)
            SELECT id::uuid, source, event_id, kind, severity, subject_key,
                   timestamptz 'epoch' + occurred::bigint * interval '1 microsecond',
                   timestamptz 'epoch' + received::bigint * interval '1 microsecond', via, j.state
            FROM unnest(\(ids), \(sources), \(eventIds), \(kinds), \(severities), \(subjects), \(occurred), \(received),
                        \(vias)) WITH ORDINALITY
                 AS s(id, source, event_id, kind, severity, subject_key, occurred, received, via, n)
            JOIN jsonb_array_elements(\(states)::jsonb) WITH ORDINALITY AS j(state, n) USING (n)
            ORDER BY n
            ON CONFLICT (source, event_id) DO NOTHING
            RETURNING id
            """)
        var inserted = Set<UUID>()
        for row in rows { inserted.insert(try row.decode(0, as: UUID.self)) }
        return inserted
    }

    /// The signals stored under these (source, event id) pairs, by pair.
    static func find(_ keys: [SignalRecord.Key], on connection: PostgresConnection) async throws -> [SignalRecord.Key: SignalRecord] {
        guard !keys.isEmpty else { return [:] }
        let rows = try await connection.query("""
            SELECT s.state FROM signals s
            JOIN unnest(\(keys.map(\.source)), \(keys.map(\.eventId))) AS k(source, event_id)
              ON s.source = k.source AND s.event_id = k.event_id
            """)
        var found: [SignalRecord.Key: SignalRecord] = [:]
        for signal in try rows.jsonValues(SignalRecord.self) { found[signal.key] = signal }
        return found
    }

    static func find(_ id: UUID, _ pool: PostgresPool) async throws -> SignalRecord? {
        try await pool.query("SELECT state FROM signals WHERE id = \(id)").jsonValue()
    }

    /// The signals of `subjectKeys` that occurred after `after`, as scoring
    /// sees them (only the columns it needs, not the stored JSON), by subject.
    /// Leaves out `excluding` (the batch's own signals, just inserted: the
    /// caller has them, and reading them back would cost a JSON extraction each).
    static func windows(
        subjectKeys: [String], after: Date, excluding: [UUID], on connection: PostgresConnection
    ) async throws -> [String: [ScoredSignal]] {
        guard !subjectKeys.isEmpty else { return [:] }
        let excluded = excluding.map(\.uuidString)
        let rows = try await connection.query("""
            SELECT subject_key, id, kind, severity, occurred_at, received_at, state -> 'data' ->> 'reference', state -> 'data' ->> 'summary'
            FROM signals WHERE subject_key = ANY(\(subjectKeys)) AND occurred_at > \(after) AND id <> ALL(\(excluded)::uuid[])
            ORDER BY subject_key, occurred_at, id
            """)
        var windows: [String: [ScoredSignal]] = [:]
        for row in rows {
            let (key, id, kind, severity, occurredAt, receivedAt, reference, summary) =
                try row.decode((String, UUID, String, String, Date, Date, String, String).self)
            guard let kind = SignalKind(rawValue: kind), let severity = SignalSeverity(rawValue: severity) else { continue }
            windows[key, default: []].append(ScoredSignal(
                id: id, kind: kind, severity: severity, occurredAt: occurredAt, receivedAt: receivedAt,
                reference: reference, summary: summary))
        }
        return windows
    }

    struct Search: Sendable {
        var subjectKey: String?
        var kind: SignalKind?
        var from: Date?
        var to: Date?
        var page: Int
        var pageSize: Int
    }

    typealias Page = ResultPage<SignalRecord>

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
