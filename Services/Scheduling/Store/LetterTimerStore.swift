import Foundation
import Postgres

/// The letters' timers (table `letter_timers`): one unit's reply-due-soon
/// reminder and its overdue mark.
enum LetterTimerStore {
    enum Kind: String, Sendable { case reminder, overdue }

    struct Due: Sendable, Equatable {
        var letterId: UUID
        var unitId: String
        var kind: Kind
    }

    /// Sets (or resets, after a return with a new date) `unitId`'s timers.
    /// A reminder time already past is left out: it would say "soon" late.
    static func schedule(
        letterId: UUID, unitId: String, reminderAt: Date?, overdueAt: Date, now: Date, on connection: PostgresConnection
    ) async throws {
        try await cancel(letterId: letterId, unitId: unitId, on: connection)
        var timers: [(Kind, Date)] = [(.overdue, overdueAt)]
        if let reminderAt, reminderAt > now, reminderAt < overdueAt { timers.append((.reminder, reminderAt)) }
        for (kind, at) in timers {
            try await connection.execute("""
                INSERT INTO letter_timers (letter_id, unit_id, kind, fire_at, fired_at)
                VALUES (\(letterId), \(unitId), \(kind.rawValue), \(at), NULL)
                ON CONFLICT (letter_id, unit_id, kind) DO UPDATE SET fire_at = EXCLUDED.fire_at, fired_at = NULL
                """)
        }
    }

    /// Drops `unitId`'s timers that have not fired (its report came in).
    static func cancel(letterId: UUID, unitId: String, on connection: PostgresConnection) async throws {
        try await connection.execute(
            "DELETE FROM letter_timers WHERE letter_id = \(letterId) AND unit_id = \(unitId) AND fired_at IS NULL")
    }

    /// Claims up to `limit` timers due at `now`, oldest first, locked until
    /// the caller's transaction ends; another process skips them.
    static func claimDue(at now: Date, limit: Int, on connection: PostgresConnection) async throws -> [Due] {
        let rows = try await connection.query("""
            SELECT letter_id, unit_id, kind FROM letter_timers
            WHERE fired_at IS NULL AND fire_at <= \(now)
            ORDER BY fire_at, letter_id, unit_id, kind
            LIMIT \(limit) FOR UPDATE SKIP LOCKED
            """)
        return try rows.map { row in
            let kind = try row.decode(2, as: String.self)
            return Due(
                letterId: try row.decode(0, as: UUID.self), unitId: try row.decode(1, as: String.self),
                kind: Kind(rawValue: kind) ?? .overdue)
        }
    }

    static func markFired(_ due: Due, at time: Date, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            UPDATE letter_timers SET fired_at = \(time)
            WHERE letter_id = \(due.letterId) AND unit_id = \(due.unitId) AND kind = \(due.kind.rawValue)
            """)
    }
}
