import Domain
import EventFlow
import Foundation
import Postgres

/// SQL for the task timers (reminders, overdue marks).
enum TaskTimerStore {
    /// A timer that is due, claimed by this transaction.
    struct Due: Sendable, Equatable {
        var id: Int64
        var taskId: UUID
        var kind: TaskTimerKind
        var workingDaysBefore: Int
        var dueDate: LocalDate
        var fireAt: Date
    }

    /// Replaces the task's unfired timers with `timers` for `due`.
    static func replace(
        taskId: UUID, due: LocalDate, with timers: [PlannedTimer], on connection: PostgresConnection
    ) async throws {
        try await connection.execute("DELETE FROM task_timers WHERE task_id = \(taskId) AND fired_at IS NULL")
        guard !timers.isEmpty else { return }
        let kinds = timers.map(\.kind.rawValue)
        let days = timers.map { String($0.workingDaysBefore) }
        let fireAt = timers.map { RFC3339.format($0.fireAt) }
        try await connection.execute("""
            INSERT INTO task_timers (task_id, kind, working_days_before, due_date, fire_at)
            SELECT \(taskId), k, d::integer, \(due.description)::date, f::timestamptz
            FROM unnest(\(kinds)::text[], \(days)::text[], \(fireAt)::text[]) AS t(k, d, f)
            ON CONFLICT (task_id, kind, working_days_before, due_date) DO NOTHING
            """)
    }

    /// Claims up to `limit` timers due at `now`, oldest first, with their
    /// tasks' current state, skipping a timer when it or its task is held by
    /// another transaction (another worker, a request changing the task): each
    /// timer is fired by exactly one transaction, and a skipped one is taken
    /// by the next scan. Never waits, so two workers never deadlock.
    static func claimDue(
        at now: Date, limit: Int, on connection: PostgresConnection
    ) async throws -> (timers: [Due], tasks: [UUID: WorkTask]) {
        var timers: [Due] = []
        var tasks: [UUID: WorkTask] = [:]
        for row in try await connection.query("""
            SELECT t.id, t.task_id, t.kind, t.working_days_before, t.due_date::text, t.fire_at, k.state
            FROM task_timers t JOIN tasks k ON k.id = t.task_id
            WHERE t.fired_at IS NULL AND t.fire_at <= \(now)
            ORDER BY t.fire_at, t.id LIMIT \(limit)
            FOR UPDATE OF t, k SKIP LOCKED
            """) {
            let (id, taskId, kind, days, due, fireAt) = try row.decode((Int64, UUID, String, Int, String, Date).self)
            guard let kind = TaskTimerKind(rawValue: kind), let dueDate = LocalDate(due) else {
                throw TaskTimerStoreError("timer \(id) has kind \(kind) and due date \(due)")
            }
            timers.append(Due(id: id, taskId: taskId, kind: kind, workingDaysBefore: days, dueDate: dueDate, fireAt: fireAt))
            if tasks[taskId] == nil { tasks[taskId] = try row.json(WorkTask.self, column: 6) }
        }
        return (timers, tasks)
    }

    static func markFired(_ ids: [Int64], at time: Date, on connection: PostgresConnection) async throws {
        guard !ids.isEmpty else { return }
        let texts = ids.map(String.init)
        try await connection.execute("UPDATE task_timers SET fired_at = \(time) WHERE id = ANY(\(texts)::bigint[])")
    }

    /// The task's timers, for the API and tests: kind, days before, fire time, fired time.
    static func timers(of taskId: UUID, on connection: PostgresConnection) async throws -> [(TaskTimerKind, Int, Date, Date?)] {
        try await connection.query("""
            SELECT kind, working_days_before, fire_at, fired_at FROM task_timers WHERE task_id = \(taskId) ORDER BY fire_at, id
            """).map { row in
            let (kind, days, fireAt, firedAt) = try row.decode((String, Int, Date, Date?).self)
            return (TaskTimerKind(rawValue: kind) ?? .overdue, days, fireAt, firedAt)
        }
    }
}

struct TaskTimerStoreError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
