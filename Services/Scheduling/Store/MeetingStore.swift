import Domain
import EventFlow
import Foundation
import Postgres
import ServiceKit

/// SQL for sittings.
enum MeetingStore {
    /// Locks and writes a sitting for `PostgresPool.change`.
    static let table = AggregateTable<Meeting, UUID>(
        name: "meeting", find: { try await find($0, $1) },
        lock: { try await lock($0, on: $1) }, update: { try await update($0, on: $1) })

    static func find(_ id: UUID, _ pool: PostgresPool) async throws -> Meeting? {
        try await pool.query("SELECT state FROM meetings WHERE id = \(id)").jsonValue()
    }

    static func lock(_ id: UUID, on connection: PostgresConnection) async throws -> Meeting? {
        try await connection.query("SELECT state FROM meetings WHERE id = \(id) FOR UPDATE").jsonValue()
    }

    /// Sittings in start order, optionally of one kind, status, or expected unit, from a time on.
    static func list(
        kind: MeetingKind?, status: MeetingStatus?, unitId: String?, from: Date?, limit: Int, _ pool: PostgresPool
    ) async throws -> [Meeting] {
        let unitPattern = unitId.map { StoredJSON([["unitId": $0]]) }
        return try await pool.query("""
            SELECT state FROM meetings
            WHERE (\(kind?.rawValue)::text IS NULL OR kind = \(kind?.rawValue))
              AND (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue))
              AND (\(unitPattern)::jsonb IS NULL OR state -> 'attendance' @> \(unitPattern))
              AND (\(from)::timestamptz IS NULL OR starts_at >= \(from))
            ORDER BY starts_at, id LIMIT \(limit)
            """).jsonValues()
    }

    /// The sittings a unit is expected at, or whose agenda it presents at, for its feed.
    static func forUnit(_ unitId: String, since: Date, _ pool: PostgresPool) async throws -> [Meeting] {
        let attendance = StoredJSON([["unitId": unitId]])
        let presenter = StoredJSON([["presenterUnitId": unitId]])
        return try await pool.query("""
            SELECT state FROM meetings
            WHERE (state -> 'attendance' @> \(attendance) OR state -> 'agenda' @> \(presenter)) AND starts_at >= \(since)
            ORDER BY starts_at, id
            """).jsonValues()
    }

    /// Every sitting starting from `since` (a few a year: a person's feed filters them).
    static func starting(from since: Date, _ pool: PostgresPool) async throws -> [Meeting] {
        try await pool.query("SELECT state FROM meetings WHERE starts_at >= \(since) ORDER BY starts_at, id").jsonValues()
    }

    /// The day of the last sitting of `kind` held, and the next one scheduled from `now`.
    static func cadenceFacts(_ kind: MeetingKind, now: Date, on connection: PostgresConnection) async throws -> (lastHeld: Date?, nextScheduled: Date?) {
        let rows = try await connection.query("""
            SELECT (SELECT max(starts_at) FROM meetings WHERE kind = \(kind.rawValue) AND status = 'held'),
                   (SELECT min(starts_at) FROM meetings WHERE kind = \(kind.rawValue) AND status = 'scheduled' AND starts_at >= \(now))
            """)
        guard let row = rows.first else { return (nil, nil) }
        return (try row.decode(0, as: Date?.self), try row.decode(1, as: Date?.self))
    }

    /// Scheduled sittings starting in `from...through`, locked; rows another
    /// watcher holds are skipped (it is chasing them).
    static func lockScheduled(from: Date, through: Date, on connection: PostgresConnection) async throws -> [Meeting] {
        try await connection.query("""
            SELECT state FROM meetings
            WHERE status = 'scheduled' AND starts_at > \(from) AND starts_at <= \(through)
            ORDER BY starts_at FOR UPDATE SKIP LOCKED
            """).jsonValues()
    }

    static func insert(_ meeting: Meeting, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            INSERT INTO meetings (id, kind, status, starts_at, state, version, updated_at)
            VALUES (\(meeting.id), \(meeting.kind.rawValue), \(meeting.status.rawValue), \(meeting.startsAt),
                    \(StoredJSON(meeting)), \(meeting.version), \(meeting.updatedAt))
            """)
    }

    static func update(_ meeting: Meeting, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            UPDATE meetings SET status = \(meeting.status.rawValue), starts_at = \(meeting.startsAt),
                state = \(StoredJSON(meeting)), version = \(meeting.version), updated_at = \(meeting.updatedAt)
            WHERE id = \(meeting.id)
            """)
    }

    /// The next minutes number of `year`, gapless: the counter row stays
    /// locked until the publishing transaction ends.
    static func nextMinutesSequence(year: Int, on connection: PostgresConnection) async throws -> Int {
        let rows = try await connection.query("""
            INSERT INTO minutes_numbers (year, last) VALUES (\(year), 1)
            ON CONFLICT (year) DO UPDATE SET last = minutes_numbers.last + 1
            RETURNING last
            """)
        return try rows.first!.decode(0, as: Int.self)
    }
}

/// SQL for the series (one per kind).
enum MeetingSeriesStore {
    static func all(_ pool: PostgresPool) async throws -> [MeetingSeries] {
        try await pool.query("SELECT state FROM meeting_series ORDER BY kind").jsonValues()
    }

    static func find(_ kind: MeetingKind, _ pool: PostgresPool) async throws -> MeetingSeries? {
        try await pool.query("SELECT state FROM meeting_series WHERE kind = \(kind.rawValue)").jsonValue()
    }

    static func lock(_ kind: MeetingKind, on connection: PostgresConnection) async throws -> MeetingSeries? {
        try await connection.query("SELECT state FROM meeting_series WHERE kind = \(kind.rawValue) FOR UPDATE").jsonValue()
    }

    static func upsert(_ series: MeetingSeries, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            INSERT INTO meeting_series (kind, state, version, updated_at)
            VALUES (\(series.kind.rawValue), \(StoredJSON(series)), \(series.version), \(series.updatedAt))
            ON CONFLICT (kind) DO UPDATE SET state = EXCLUDED.state, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
            """)
    }
}

/// SQL for ad hoc meeting requests.
enum AdHocRequestStore {
    static let table = AggregateTable<AdHocRequest, UUID>(
        name: "ad hoc meeting request", find: { try await find($0, $1) },
        lock: { try await lock($0, on: $1) }, update: { try await update($0, on: $1) })

    static func find(_ id: UUID, _ pool: PostgresPool) async throws -> AdHocRequest? {
        try await pool.query("SELECT state FROM ad_hoc_requests WHERE id = \(id)").jsonValue()
    }

    static func lock(_ id: UUID, on connection: PostgresConnection) async throws -> AdHocRequest? {
        try await connection.query("SELECT state FROM ad_hoc_requests WHERE id = \(id) FOR UPDATE").jsonValue()
    }

    static func list(status: AdHocStatus?, _ pool: PostgresPool) async throws -> [AdHocRequest] {
        try await pool.query("""
            SELECT state FROM ad_hoc_requests
            WHERE (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue))
            ORDER BY state ->> 'proposedStartsAt', id
            """).jsonValues()
    }

    static func insert(_ request: AdHocRequest, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            INSERT INTO ad_hoc_requests (id, status, state, version, updated_at)
            VALUES (\(request.id), \(request.status.rawValue), \(StoredJSON(request)), \(request.version), \(request.updatedAt))
            """)
    }

    static func update(_ request: AdHocRequest, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            UPDATE ad_hoc_requests SET status = \(request.status.rawValue), state = \(StoredJSON(request)),
                version = \(request.version), updated_at = \(request.updatedAt)
            WHERE id = \(request.id)
            """)
    }
}
