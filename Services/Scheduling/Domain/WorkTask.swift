import Domain
import Foundation

// A task (工作任务 / 决定事项的落实): a plain value, no I/O. Its Codable
// names are the JSON of the API and of the events on
// shuangjian.scheduling.tasks, which carry the whole state.

/// One piece of work a member unit answers for: its lead unit does it (and
/// reports), the assisting units (配合单位) help; the office assigns it,
/// accepts the completion or returns it.
struct WorkTask: Codable, Sendable, Equatable, VersionedAggregate {
    var id: UUID
    var title: String
    /// What is to be done, in the words of the decision or the office.
    var detail: String?
    /// Where the task comes from.
    var origin: TaskOrigin
    var leadUnitId: String
    var assistingUnitIds: [String]
    /// The working day by whose end (office hours' close) the work is due.
    var dueDate: LocalDate
    var status: TaskStatus
    /// Set when the due working day ended before the task was done; cleared
    /// when it is returned with a new due date.
    var overdueAt: Date?
    /// The reminders fired for the current due date, as working days before it.
    var remindersSent: [Int]
    var acceptedAt: Date?
    var submittedAt: Date?
    var completedAt: Date?
    /// Each return by the office, oldest first.
    var returns: [TaskReturn]
    var createdBy: String
    var createdAt: Date
    var version: Int
    var updatedAt: Date

    /// The units that see the task: the lead first, then the assisting units.
    var unitIds: [String] { [leadUnitId] + assistingUnitIds }

    /// Whether work on it is still expected (its timers still matter).
    var isOpen: Bool { status != .completed }
}

/// assigned → accepted → (progress reports) → submitted → completed, or
/// submitted → returned (a reason and a new due date) → submitted again.
enum TaskStatus: String, Codable, Sendable, CaseIterable, Equatable {
    /// Given to the lead unit, not yet acknowledged.
    case assigned
    /// The lead unit took it on (接收).
    case accepted
    /// The lead unit reported it done (完成情况报告); the office reviews it.
    case submitted
    /// The office returned the completion report: more work, a new due date.
    case returned
    /// The office accepted the completion report (办结).
    case completed
}

/// Where a task comes from; `reference` names the source (a decision, a
/// letter, an inspection finding, the admitted unit), unique per kind, so a
/// source creates its task once however often its event is replayed.
struct TaskOrigin: Codable, Sendable, Equatable {
    var kind: TaskOriginKind
    var reference: String?
}

enum TaskOriginKind: String, Codable, Sendable, CaseIterable, Equatable {
    /// Assigned by the office directly (POST /v1/tasks).
    case office
    /// A decision (决定事项) of published minutes.
    case decision
    /// The work plan every admitted unit draws up (通知 四(一)).
    case workPlan = "work-plan"
    /// A supervision letter about an overdue task or a failed duty.
    case letter
    /// An inspection finding that needs rectification (整改): reference `<finding id>/<round>`.
    case inspectionFinding = "inspection-finding"
    /// A handling (处置) step of an early warning: reference `<warning id>/<n>`.
    case warningHandling = "warning-handling"
}

/// The office sent the completion report back.
struct TaskReturn: Codable, Sendable, Equatable {
    var reason: String
    var previousDueDate: LocalDate
    var dueDate: LocalDate
    var returnedBy: String
    var returnedAt: Date
}
