import Domain
import EventFlow
import Foundation
import Postgres
import ServiceKit

/// SQL for tasks: the row keeps the whole state (`state`) and the columns
/// lists and timers filter on.
enum TaskStore {
    /// Locks and writes a task for `PostgresPool.change`.
    static let table = AggregateTable<WorkTask, UUID>(
        name: "task", find: { try await find($0, $1) },
        lock: { try await lock($0, on: $1) }, update: { try await update($0, on: $1) })

    /// What a list asks for; nil members do not filter.
    struct Filter: Sendable {
        /// Tasks the unit leads or assists in.
        var unitId: String?
        var status: TaskStatus?
        var overdue: Bool?
        var originKind: TaskOriginKind?
        var limit = 200
        var offset = 0
    }

    static func list(_ filter: Filter, _ pool: PostgresPool) async throws -> [WorkTask] {
        var query: PostgresQuery = "SELECT state FROM tasks WHERE true"
        if let unit = filter.unitId { query.append(" AND unit_ids @> \([unit])") }
        if let status = filter.status { query.append(" AND status = \(status.rawValue)") }
        if let overdue = filter.overdue { query.append(" AND overdue = \(overdue)") }
        if let origin = filter.originKind { query.append(" AND origin_kind = \(origin.rawValue)") }
        query.append(" ORDER BY due_date, created_at, id LIMIT \(filter.limit) OFFSET \(filter.offset)")
        return try await pool.query(query).jsonValues()
    }

    static func find(_ id: UUID, _ pool: PostgresPool) async throws -> WorkTask? {
        try await pool.query("SELECT state FROM tasks WHERE id = \(id)").jsonValue()
    }

    static func find(_ id: UUID, on connection: PostgresConnection) async throws -> WorkTask? {
        try await connection.query("SELECT state FROM tasks WHERE id = \(id)").jsonValue()
    }

    static func lock(_ id: UUID, on connection: PostgresConnection) async throws -> WorkTask? {
        try await connection.query("SELECT state FROM tasks WHERE id = \(id) FOR UPDATE").jsonValue()
    }

    /// The task already made from `origin`, if any (a replayed source).
    static func find(origin: TaskOrigin, on connection: PostgresConnection) async throws -> WorkTask? {
        guard let reference = origin.reference else { return nil }
        return try await connection.query("""
            SELECT state FROM tasks WHERE origin_kind = \(origin.kind.rawValue) AND origin_reference = \(reference)
            """).jsonValue()
    }

    /// False when a task from the same origin exists already (nothing written).
    static func insert(_ task: WorkTask, on connection: PostgresConnection) async throws -> Bool {
        try await connection.execute("""
            INSERT INTO tasks (id, lead_unit_id, assisting_unit_ids, unit_ids, status, due_date, overdue, origin_kind,
                               origin_reference, state, version, created_at, updated_at)
            VALUES (\(task.id), \(task.leadUnitId), \(task.assistingUnitIds), \(task.unitIds), \(task.status.rawValue),
                    \(task.dueDate.description)::date, \(task.overdueAt != nil), \(task.origin.kind.rawValue),
                    \(task.origin.reference), \(StoredJSON(task)), \(task.version), \(task.createdAt), \(task.updatedAt))
            ON CONFLICT (origin_kind, origin_reference) WHERE origin_reference IS NOT NULL DO NOTHING
            """) > 0
    }

    static func update(_ task: WorkTask, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            UPDATE tasks SET status = \(task.status.rawValue), due_date = \(task.dueDate.description)::date,
                overdue = \(task.overdueAt != nil), state = \(StoredJSON(task)), version = \(task.version),
                updated_at = \(task.updatedAt)
            WHERE id = \(task.id)
            """)
    }
}

extension TaskStore {
    /// Writes many tasks in one statement (the timer worker's batch), each
    /// with its state already encoded.
    static func update(encoded: [(task: WorkTask, json: [UInt8])], on connection: PostgresConnection) async throws {
        guard !encoded.isEmpty else { return }
        let tasks = encoded.map(\.task)
        let ids = tasks.map { $0.id.uuidString.lowercased() }
        let states = encoded.map { String(decoding: $0.json, as: UTF8.self) }
        let overdue = tasks.map { $0.overdueAt != nil ? "t" : "f" }
        let versions = tasks.map { String($0.version) }
        let times = tasks.map { RFC3339.format($0.updatedAt) }
        try await connection.execute("""
            UPDATE tasks SET state = u.state::jsonb, overdue = u.overdue::boolean, version = u.version::integer,
                updated_at = u.updated_at::timestamptz
            FROM unnest(\(ids)::text[], \(states)::text[], \(overdue)::text[], \(versions)::text[], \(times)::text[])
                AS u(id, state, overdue, version, updated_at)
            WHERE tasks.id = u.id::uuid
            """)
    }
}
