import Audit
import Domain
import EventFlow
import Foundation
import Logging
import Postgres
import ServiceKit
import ServiceLifecycle

/// Fires the tasks' reminders and overdue marks. Every `interval` it claims
/// the due timers with their tasks (`fire_at <= now`, not fired; `FOR UPDATE
/// SKIP LOCKED` on both, so two scheduling processes fire each once), marks the tasks
/// (`remindersSent`, `overdueAt`), records `task.due-soon.v1` /
/// `task.overdue.v1`, drafts the overdue tasks' 督办函 (with the letters'
/// settings) and sets `fired_at` — one transaction per batch, each kind of
/// row written in one statement for the whole batch. The
/// timers live in PostgreSQL, so a restart loses none; `now` is the injected
/// clock, so tests and the benchmark move time instead of waiting.
///
/// A timer for a task no longer being worked on (submitted or completed)
/// fires silently: a unit that reported its work done before the day ended
/// is not overdue.
final class TaskTimerWorker: Service, Sendable {
    private let pool: PostgresPool
    private let interval: Duration
    private let batchSize: Int
    private let now: @Sendable () -> Date
    private let logger: Logger
    /// When set, an overdue task also gets a 督办函 draft for the office (or,
    /// by the letters' policy, an issued one) in the same transaction.
    private let letters: LetterSettings?

    static let actor = AuditActor.system("scheduling.task-timers")
    static let letterActor = AuditActor.system("scheduling.overdue-task-letters")

    init(
        pool: PostgresPool, interval: Duration = .seconds(15), batchSize: Int = 500,
        now: @escaping @Sendable () -> Date, logger: Logger, letters: LetterSettings? = nil
    ) {
        precondition(batchSize > 0, "batchSize must be positive")
        self.letters = letters
        self.pool = pool
        self.interval = interval
        self.batchSize = batchSize
        self.now = now
        var logger = logger
        logger[metadataKey: "component"] = "task-timers"
        self.logger = logger
    }

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                // A full batch may mean more are due: go again at once.
                while try await fireDue().claimed == batchSize && !Task.isShuttingDownGracefully {}
            } catch {
                logger.error("task timer scan failed", metadata: ["error": "\(error)"])
            }
            let interval = self.interval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// What one batch did.
    struct Batch: Sendable, Equatable {
        /// Timers claimed (and now fired).
        var claimed = 0
        /// Events recorded (due-soon and overdue).
        var events = 0
    }

    /// Fires what is due now (at most `batchSize` timers) in one transaction.
    @discardableResult
    func fireDue() async throws -> Batch {
        let time = now()
        let batchSize = self.batchSize
        let letters = self.letters
        return try await pool.transaction { connection in
            let (due, claimed) = try await TaskTimerStore.claimDue(at: time, limit: batchSize, on: connection)
            guard !due.isEmpty else { return Batch() }
            var tasks = claimed
            // Each task's state is encoded once per change: its event carries
            // those bytes, and the last of them is what the row stores.
            var stored: [UUID: (task: WorkTask, json: [UInt8])] = [:]
            var events: [OutboxEvent] = []
            events.reserveCapacity(due.count)
            var overdue: [OverdueTaskLetters.OverdueTask] = []
            for timer in due {
                guard var task = tasks[timer.taskId], Self.fires(timer, for: task) else { continue }
                switch timer.kind {
                case .reminder:
                    task.remindersSent.append(timer.workingDaysBefore)
                case .overdue:
                    task.overdueAt = timer.fireAt
                    overdue.append(.init(
                        id: task.id.uuidString.lowercased(), title: task.title, leadUnitId: task.leadUnitId, due: task.dueDate))
                }
                task.version += 1
                task.updatedAt = time
                tasks[task.id] = task
                let json = TaskEvent.encode(task)
                stored[task.id] = (task, json)
                events.append(
                    timer.kind == .reminder
                        ? TaskEvent.dueSoon(task, json: json, workingDaysLeft: timer.workingDaysBefore, at: timer.fireAt)
                        : TaskEvent.state(EventType.taskOverdue, task, json: json, at: timer.fireAt))
            }
            // The batch's 督办函 drafts together, after its tasks (one statement, not one per task).
            var letterEvents: [OutboxEvent] = []
            if let letters, !overdue.isEmpty {
                letterEvents = try await OverdueTaskLetters.prepare(
                    for: overdue, by: Self.letterActor.subject, at: time, settings: letters, on: connection
                ).flatMap(\.events)
            }
            try await TaskStore.update(encoded: Array(stored.values), on: connection)
            try await TaskTimerStore.markFired(due.map(\.id), at: time, on: connection)
            try await Journal.record(events, by: Self.actor, at: time, on: connection)
            try await Journal.record(letterEvents, by: Self.letterActor, at: time, on: connection)
            return Batch(claimed: due.count, events: events.count)
        }
    }

    /// Whether the timer still means something for the task as it is now.
    static func fires(_ timer: TaskTimerStore.Due, for task: WorkTask) -> Bool {
        guard timer.dueDate == task.dueDate else { return false }
        switch task.status {
        case .assigned, .accepted, .returned: break
        case .submitted, .completed: return false
        }
        switch timer.kind {
        case .reminder: return !task.remindersSent.contains(timer.workingDaysBefore) && task.overdueAt == nil
        case .overdue: return task.overdueAt == nil
        }
    }
}
