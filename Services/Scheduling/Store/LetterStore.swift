import EventFlow
import Foundation
import Postgres
import ServiceKit

/// SQL for letters and their addressed units.
enum LetterStore {
    /// Locks and writes a letter for `PostgresPool.change`.
    static let table = AggregateTable<Letter, UUID>(
        name: "letter", find: { try await find($0, $1) },
        lock: { try await lock($0, on: $1) }, update: { try await update($0, on: $1) })

    struct Filter: Sendable {
        var kind: String?
        var status: String?
        var unitId: String?
    }

    static func list(_ filter: Filter, _ pool: PostgresPool) async throws -> [Letter] {
        var query: PostgresQuery = "SELECT l.state FROM letters l WHERE true"
        if let kind = filter.kind { query.append(" AND l.kind = \(kind)") }
        if let status = filter.status { query.append(" AND l.status = \(status)") }
        if let unitId = filter.unitId {
            query.append(" AND EXISTS (SELECT 1 FROM letter_units u WHERE u.letter_id = l.id AND u.unit_id = \(unitId))")
        }
        query.append(" ORDER BY l.created_at DESC, l.id")
        return try await pool.query(query).jsonValues()
    }

    /// The issued letters addressed to `unitId` (every unit when nil) that
    /// were issued before `end`: what the statistics count.
    static func issued(to unitId: String?, before end: Date, _ pool: PostgresPool) async throws -> [Letter] {
        var query: PostgresQuery = "SELECT l.state FROM letters l WHERE l.issued_at < \(end)"
        if let unitId {
            query.append(" AND EXISTS (SELECT 1 FROM letter_units u WHERE u.letter_id = l.id AND u.unit_id = \(unitId))")
        }
        query.append(" ORDER BY l.issued_at, l.id")
        return try await pool.query(query).jsonValues()
    }

    static func find(_ id: UUID, _ pool: PostgresPool) async throws -> Letter? {
        try await pool.query("SELECT state FROM letters WHERE id = \(id)").jsonValue()
    }

    static func lock(_ id: UUID, on connection: PostgresConnection) async throws -> Letter? {
        try await connection.query("SELECT state FROM letters WHERE id = \(id) FOR UPDATE").jsonValue()
    }

    /// The letter and unit whose `letter.issued` event had `eventId`.
    static func addressee(ofIssuedEvent eventId: UUID, on connection: PostgresConnection) async throws
        -> (letterId: UUID, unitId: String)?
    {
        let rows = try await connection.query(
            "SELECT letter_id, unit_id FROM letter_units WHERE issued_event_id = \(eventId)")
        return try rows.first.map { (try $0.decode(0, as: UUID.self), try $0.decode(1, as: String.self)) }
    }

    /// The draft already prepared for an overdue task, if any.
    static func draft(forTask taskId: String, on connection: PostgresConnection) async throws -> Letter? {
        try await connection.query("SELECT state FROM letters WHERE origin_task_id = \(taskId)").jsonValue()
    }

    static func insert(_ letter: Letter, on connection: PostgresConnection) async throws {
        let taskId = letter.origin == .taskOverdue && letter.cause.kind == .task ? letter.cause.reference : nil
        try await connection.execute("""
            INSERT INTO letters (id, kind, status, number, origin, origin_task_id, state, version, created_at, issued_at, updated_at)
            VALUES (\(letter.id), \(letter.kind.rawValue), \(letter.status.rawValue), \(letter.number),
                    \(letter.origin.rawValue), \(taskId), \(StoredJSON(letter)), \(letter.version),
                    \(letter.drafted.at), \(letter.issued?.at), \(letter.updatedAt))
            """)
        try await writeUnits(letter, on: connection)
    }

    static func update(_ letter: Letter, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            UPDATE letters SET status = \(letter.status.rawValue), number = \(letter.number),
                state = \(StoredJSON(letter)), version = \(letter.version), issued_at = \(letter.issued?.at),
                updated_at = \(letter.updatedAt)
            WHERE id = \(letter.id)
            """)
        try await writeUnits(letter, on: connection)
    }

    /// The addressed units as they now are (a draft's list may change).
    private static func writeUnits(_ letter: Letter, on connection: PostgresConnection) async throws {
        let unitIds = letter.addressees.map(\.unitId)
        try await connection.execute(
            "DELETE FROM letter_units WHERE letter_id = \(letter.id) AND NOT (unit_id = ANY(\(unitIds)))")
        for track in letter.addressees {
            try await connection.execute("""
                INSERT INTO letter_units (letter_id, unit_id, issued_event_id)
                VALUES (\(letter.id), \(track.unitId), \(track.issuedEventId))
                ON CONFLICT (letter_id, unit_id) DO UPDATE SET issued_event_id = EXCLUDED.issued_event_id
                """)
        }
    }
}
