import Domain
import Foundation

/// A task change its rules forbid now (409, naming the status).
struct TaskRuleError: Error, Sendable, Equatable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The task's life as pure functions: each checks the status it starts
/// from and changes the value; the caller stores it and names the event.
extension WorkTask {
    /// The lead unit takes the task on (接收).
    mutating func accept(at time: Date) throws(TaskRuleError) {
        guard status == .assigned else { throw TaskRuleError("only an assigned task can be accepted; this one is \(status.rawValue)") }
        status = .accepted
        acceptedAt = time
    }

    /// Whether a progress report may be added now: the unit is working on it.
    func checkProgressReport() throws(TaskRuleError) {
        guard status == .accepted || status == .returned || status == .assigned else {
            throw TaskRuleError("progress can be reported while the task is worked on; this one is \(status.rawValue)")
        }
    }

    /// The lead unit reports the work done; an assigned task counts as accepted by it.
    mutating func submitCompletion(at time: Date) throws(TaskRuleError) {
        guard status == .accepted || status == .returned || status == .assigned else {
            throw TaskRuleError("a completion report needs a task being worked on; this one is \(status.rawValue)")
        }
        if acceptedAt == nil { acceptedAt = time }
        status = .submitted
        submittedAt = time
    }

    /// The office accepts the completion report (办结).
    mutating func complete(at time: Date) throws(TaskRuleError) {
        guard status == .submitted else {
            throw TaskRuleError("only a submitted completion report can be accepted; this task is \(status.rawValue)")
        }
        status = .completed
        completedAt = time
    }

    /// The office returns the completion report with a reason and a new due
    /// date; the overdue mark and the reminders start again for that date.
    mutating func returnForRework(reason: String, dueDate newDue: LocalDate, by actor: String, at time: Date) throws(TaskRuleError) {
        guard status == .submitted else {
            throw TaskRuleError("only a submitted completion report can be returned; this task is \(status.rawValue)")
        }
        returns.append(TaskReturn(reason: reason, previousDueDate: dueDate, dueDate: newDue, returnedBy: actor, returnedAt: time))
        status = .returned
        dueDate = newDue
        overdueAt = nil
        remindersSent = []
        submittedAt = nil
    }
}
