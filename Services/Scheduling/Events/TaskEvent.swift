import Domain
import EventFlow
import Foundation

/// The task events on `shuangjian.scheduling.tasks` (docs/asyncapi.yaml),
/// keyed by the task's id. Each carries the task's whole state under
/// `task`, so a consumer reading the topic keeps the newest; some carry
/// what happened besides.
enum TaskEvent {
    struct State: Codable, Sendable { var task: WorkTask }

    /// `task.progress-reported.v1`, `task.completion-reported.v1`: the task and the report.
    struct Reported: Codable, Sendable {
        var task: WorkTask
        var report: TaskReport
    }

    /// `task.returned.v1`: the task (with its new due date) and why.
    struct Returned: Codable, Sendable {
        var task: WorkTask
        var reason: String
    }

    /// `task.due-soon.v1`: a reminder, N working days before the due date.
    struct DueSoon: Codable, Sendable {
        var task: WorkTask
        var workingDaysLeft: Int
    }

    static func state(_ type: String, _ task: WorkTask, at time: Date) throws -> OutboxEvent {
        try event(type, task, State(task: task), at: time)
    }

    static func reported(_ task: WorkTask, _ report: TaskReport) throws -> OutboxEvent {
        let type = report.kind == .completion ? EventType.taskCompletionReported : EventType.taskProgressReported
        return try event(type, task, Reported(task: task, report: report), at: report.reportedAt)
    }

    static func returned(_ task: WorkTask, reason: String, at time: Date) throws -> OutboxEvent {
        try event(EventType.taskReturned, task, Returned(task: task, reason: reason), at: time)
    }

    static func dueSoon(_ task: WorkTask, workingDaysLeft: Int, at time: Date) throws -> OutboxEvent {
        try event(EventType.taskDueSoon, task, DueSoon(task: task, workingDaysLeft: workingDaysLeft), at: time)
    }

    // MARK: - From an already encoded task (the timer worker's batches)

    /// The task as the events and the row carry it (`WorkTaskJSON`: the encoder's bytes, by hand).
    static func encode(_ task: WorkTask) -> [UInt8] { WorkTaskJSON.encode(task) }

    /// `State` around `json`, the task's encoding (`encode`).
    static func state(_ type: String, _ task: WorkTask, json: [UInt8], at time: Date) -> OutboxEvent {
        event(type, task, payloadJSON: Array(#"{"task":"#.utf8) + json + Array("}".utf8), at: time)
    }

    /// `DueSoon` around `json`, the task's encoding (`encode`).
    static func dueSoon(_ task: WorkTask, json: [UInt8], workingDaysLeft: Int, at time: Date) -> OutboxEvent {
        event(
            EventType.taskDueSoon, task,
            payloadJSON: Array(#"{"task":"#.utf8) + json + Array(#","workingDaysLeft":\#(workingDaysLeft)}"#.utf8), at: time)
    }

    private static func event(_ type: String, _ task: WorkTask, payloadJSON: [UInt8], at time: Date) -> OutboxEvent {
        let id = task.id.uuidString.lowercased()
        return OutboxEvent(
            topic: Topic.schedulingTasks, aggregateType: "task", aggregateId: id, type: type, subject: "tasks/\(id)",
            payloadJSON: payloadJSON, occurredAt: time)
    }

    private static func event<Payload: Encodable>(_ type: String, _ task: WorkTask, _ payload: Payload, at time: Date) throws -> OutboxEvent {
        let id = task.id.uuidString.lowercased()
        return try OutboxEvent(
            topic: Topic.schedulingTasks, aggregateType: "task", aggregateId: id, type: type, subject: "tasks/\(id)",
            payload: payload, occurredAt: time)
    }
}
