import EventFlow
import Foundation
import Postgres

extension LetterStore {
    /// Writes the 督办函 drafts prepared for overdue tasks (one addressee
    /// each, the task's lead unit) in one statement for the letters and one
    /// for their units. A task that has its draft already keeps it
    /// (`origin_task_id` is unique): the ids actually inserted.
    static func insertOverdueDrafts(_ letters: [Letter], on connection: PostgresConnection) async throws -> Set<UUID> {
        guard !letters.isEmpty else { return [] }
        let ids = letters.map { $0.id.uuidString.lowercased() }
        let taskIds = letters.map { $0.cause.reference ?? "" }
        let kinds = letters.map(\.kind.rawValue)
        let statuses = letters.map(\.status.rawValue)
        let origins = letters.map(\.origin.rawValue)
        let states = try letters.map { String(decoding: try EventJSON.encoder.encode($0), as: UTF8.self) }
        let versions = letters.map { String($0.version) }
        let drafted = letters.map { RFC3339.format($0.drafted.at) }
        let updated = letters.map { RFC3339.format($0.updatedAt) }
        let rows = try await connection.query("""
            INSERT INTO letters (id, kind, status, number, origin, origin_task_id, state, version, created_at, issued_at, updated_at)
            SELECT d.id::uuid, d.kind, d.status, NULL, d.origin, d.task, d.state::jsonb, d.version::integer,
                   d.drafted::timestamptz, NULL, d.updated::timestamptz
            FROM unnest(\(ids)::text[], \(taskIds)::text[], \(kinds)::text[], \(statuses)::text[], \(origins)::text[],
                        \(states)::text[], \(versions)::text[], \(drafted)::text[], \(updated)::text[])
                AS d(id, task, kind, status, origin, state, version, drafted, updated)
            ON CONFLICT (origin_task_id) DO NOTHING
            RETURNING id
            """)
        var inserted: Set<UUID> = []
        for row in rows { inserted.insert(try row.decode(0, as: UUID.self)) }
        guard !inserted.isEmpty else { return [] }
        var letterIds: [String] = [], unitIds: [String] = []
        for letter in letters where inserted.contains(letter.id) {
            for track in letter.addressees {
                letterIds.append(letter.id.uuidString.lowercased())
                unitIds.append(track.unitId)
            }
        }
        try await connection.execute("""
            INSERT INTO letter_units (letter_id, unit_id)
            SELECT u.letter::uuid, u.unit FROM unnest(\(letterIds)::text[], \(unitIds)::text[]) AS u(letter, unit)
            """)
        return inserted
    }
}
