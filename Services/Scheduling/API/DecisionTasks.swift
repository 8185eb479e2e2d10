import Audit
import Domain
import EventFlow
import Foundation
import Postgres
import ServiceKit

/// How a published decision (决定事项) becomes a task: the tasks part's
/// creation (`Tasks.create`), run in the publishing transaction so the
/// minutes and their tasks commit together or not at all. It returns the
/// task's id and any events still to record (`Tasks.create` records its own
/// `task.assigned.v1`).
struct DecisionTasks: Sendable {
    typealias Create = @Sendable (
        _ decision: Decision, _ meeting: Meeting, _ minutesNumber: String, _ by: Principal, _ at: Date,
        _ connection: PostgresConnection
    ) async throws -> (UUID, [OutboxEvent])

    let make: Create

    func create(
        _ decision: Decision, meeting: Meeting, number: String, by principal: Principal, at time: Date,
        _ connection: PostgresConnection
    ) async throws -> (UUID, [OutboxEvent]) {
        try await make(decision, meeting, number, principal, time, connection)
    }

    /// A task of the decision's lead unit, with its assisting units, due on
    /// the decision's due working day; its origin is the decision (so a
    /// decision never makes two tasks).
    static func tasks(deadlines: TaskDeadlines) -> DecisionTasks {
        DecisionTasks { decision, meeting, number, principal, time, connection in
            let created = try await Tasks.create(
                draft(decision, meeting: meeting, number: number), by: AuditActor(principal), at: time,
                deadlines: deadlines, on: connection)
            return (created.task.id, [])
        }
    }

    /// The task's title is the decision (at most 200 characters, as a task
    /// title may be); its detail names the minutes and keeps the whole text.
    static func draft(_ decision: Decision, meeting: Meeting, number: String) -> TaskDraft {
        let scalars = decision.text.unicodeScalars
        let title = scalars.count <= 200
            ? decision.text : String(String.UnicodeScalarView(scalars.prefix(199))) + "…"
        return TaskDraft(
            title: title, detail: "\(meeting.title)会议纪要（\(number)）决定事项：\(decision.text)",
            origin: TaskOrigin(kind: .decision, reference: decision.id.uuidString.lowercased()),
            leadUnitId: decision.leadUnitId, assistingUnitIds: decision.assistingUnitIds, due: .date(decision.dueDate))
    }
}
