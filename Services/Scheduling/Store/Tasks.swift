import Audit
import Directory
import Domain
import EventFlow
import Foundation
import Postgres
import ServiceKit

/// Creating a task, in the caller's transaction: the one function every
/// source of tasks calls (the office's POST, a decision's publication, an
/// overdue letter, an inspection finding, an admitted unit). It checks the
/// units against the directory, computes the due working day, stores the
/// task and its timers, and records `task.assigned.v1` (outbox and audit).
/// `pastDueAllowed`: a due date set by another service is kept even if it
/// has passed by the time its event arrives.
/// A source that already made its task (same origin kind and reference)
/// gets that task back and nothing is written, so a replayed event is harmless.
enum Tasks {
    struct Created: Sendable {
        var task: WorkTask
        /// false: the origin had made its task before; this is that one.
        var isNew: Bool
    }

    static func create(
        _ draft: TaskDraft, by actor: AuditActor, at now: Date, deadlines: TaskDeadlines, on connection: PostgresConnection,
        pastDueAllowed: Bool = false
    ) async throws -> Created {
        if let existing = try await TaskStore.find(origin: draft.origin, on: connection) {
            return Created(task: existing, isNew: false)
        }
        var validation = Validation()
        for problem in draft.problems { validation.add(problem.field, problem.detail) }
        let units = try await DirectoryStore.units([draft.leadUnitId] + draft.assistingUnitIds, on: connection)
        func check(_ id: String, _ field: String) {
            guard let unit = units.first(where: { $0.id == id }) else {
                return validation.add(field, "no member unit \(id)")
            }
            validation.check(unit.status == .active, field, "\(unit.name) is no longer a member unit")
        }
        check(draft.leadUnitId, "leadUnitId")
        // One field for the list, as the document's x-state-checks names it; the detail names the unit.
        for id in draft.assistingUnitIds { check(id, "assistingUnitIds") }
        let today = LocalDate(now, in: deadlines.officeHours.timeZone)
        var dueDate: LocalDate?
        do {
            dueDate = try draft.due.dueDate(today: today, calendar: deadlines.calendar)
        } catch {
            validation.add(draft.due.field, "cannot be computed: \(error)")
        }
        // Another service's deadline (a finding's, a warning's) stands even when its event arrives late: the task is then overdue at once.
        if let dueDate, !pastDueAllowed {
            validation.check(dueDate >= today, draft.due.field, "must not be before today (\(today))")
        }
        try validation.throwIfInvalid()
        guard let dueDate else { throw Problem.validation([.init(field: draft.due.field, detail: "cannot be computed")]) }

        let task = WorkTask(
            id: UUID(), title: TextRules.trimmed(draft.title), detail: draft.detail.map(TextRules.trimmed),
            origin: draft.origin, leadUnitId: draft.leadUnitId, assistingUnitIds: draft.assistingUnitIds,
            dueDate: dueDate, status: .assigned, overdueAt: nil, remindersSent: [], acceptedAt: nil, submittedAt: nil,
            completedAt: nil, returns: [], createdBy: actor.subject, createdAt: now, version: 1, updatedAt: now)
        guard try await TaskStore.insert(task, on: connection) else {
            // A concurrent transaction made it between the lookup and the insert.
            guard let existing = try await TaskStore.find(origin: draft.origin, on: connection) else {
                throw Problem.conflict("a task from \(draft.origin.kind.rawValue) \(draft.origin.reference ?? "") is being created")
            }
            return Created(task: existing, isNew: false)
        }
        try await TaskTimerStore.replace(
            taskId: task.id, due: dueDate, with: try deadlines.timers(due: dueDate, now: now), on: connection)
        try await Journal.record(try TaskEvent.state(EventType.taskAssigned, task, at: now), by: actor, at: now, on: connection)
        return Created(task: task, isNew: true)
    }
}

extension DueSpec {
    /// The request field that gave it.
    var field: String {
        switch self {
        case .date: "dueDate"
        case .workingDays: "dueInWorkingDays"
        }
    }
}
