import Domain
import EventFlow
import Foundation
import Postgres

/// The facts the statistics count that are not letters: tasks and held sittings.
enum StatisticsStore {
    /// The tasks assigned before `end`, as the statistics see them: the
    /// lead unit answers for a task (assisting units are not counted).
    static func tasks(before end: Date, _ pool: PostgresPool) async throws -> [TaskFact] {
        let rows = try await pool.query("""
            SELECT state
            FROM tasks WHERE created_at < \(end) ORDER BY created_at, id
            """)
        return try rows.map { row in
            let task = try row.json(WorkTask.self)
            return TaskFact(leadUnitId: task.leadUnitId, assignedAt: task.createdAt, due: task.dueDate, completedAt: task.completedAt)
        }
    }

    /// The sittings held that started in [start, end): attendance per unit.
    static func heldMeetings(from start: Date, before end: Date, _ pool: PostgresPool) async throws -> [Meeting] {
        try await pool.query("""
            SELECT state FROM meetings
            WHERE status = 'held' AND starts_at >= \(start) AND starts_at < \(end)
            ORDER BY starts_at, id
            """).jsonValues()
    }
}
