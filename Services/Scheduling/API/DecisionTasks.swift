import EventFlow
import Foundation
import Postgres
import ServiceKit

/// How a published decision (决定事项) becomes a task: the tasks part's
/// creation, run in the publishing transaction so the minutes and their
/// tasks commit together. It returns the task's id and its events.
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
}
