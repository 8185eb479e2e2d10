import Audit
import Domain
import EventFlow
import Foundation
import Postgres
import ServiceKit

/// The scheduling service's task events (`shuangjian.scheduling.tasks`):
/// a task whose origin is an inspection finding (`inspection-finding`,
/// reference `<finding id>/<round>`) moves its finding — taken on, reported
/// or returned: rectifying (the finding's state follows the task; the act is
/// the scheduling service's, in its audit trail); completed: awaiting the
/// group's re-check, published as `finding.awaiting-recheck` (the inspectors
/// are told) and audited as this service's act. Every other task is not
/// this service's business.
enum RectificationHandlers {
    /// What the inspection service reads of a task event (the payload carries more).
    struct TaskState: Codable, Sendable {
        struct Task: Codable, Sendable {
            struct Origin: Codable, Sendable {
                var kind: String
                var reference: String?
            }
            var id: UUID
            var origin: Origin
            var completedAt: Date?
        }
        var task: Task
    }

    static let originKind = "inspection-finding"
    static let actor = AuditActor.system("rectification-watch")

    static func register(into handlers: inout EventHandlers, now: @escaping @Sendable () -> Date) {
        for type in EventType.published(on: Topic.schedulingTasks) {
            handlers.on(type, TaskState.self) { event, connection in
                let task = event.payload.task
                guard task.origin.kind == originKind, let reference = task.origin.reference else { return }
                let completed = type == EventType.taskCompleted
                try await apply(
                    reference: reference, taskId: task.id, completed: completed,
                    at: (completed ? task.completedAt : nil) ?? event.event.time ?? now(), recordedAt: now(), on: connection)
            }
        }
    }

    static func apply(
        reference: String, taskId: UUID, completed: Bool, at time: Date, recordedAt: Date, on connection: PostgresConnection
    ) async throws {
        guard var finding = try await FindingStore.lock(rectification: reference, on: connection) else { return }
        let before = finding.status
        guard finding.taskMoved(reference: reference, taskId: taskId, completed: completed, at: time) else { return }
        finding.version += 1
        finding.updatedAt = recordedAt
        try await FindingStore.update(finding, on: connection)
        if finding.status == .awaitingRecheck, before != .awaitingRecheck {
            try await Journal.record(
                try CampaignEvent.finding(EventType.findingAwaitingRecheck, finding), by: actor, at: recordedAt, on: connection)
        }
    }
}
