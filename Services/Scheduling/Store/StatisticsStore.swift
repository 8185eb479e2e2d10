import Foundation
import Postgres

/// The facts the statistics count that are not letters.
enum StatisticsStore {
    /// The tasks assigned before `end`. The tasks part of this service is
    /// being built alongside (issue 11, "Tasks"); until its table exists
    /// there are none to count.
    static func tasks(before end: Date, _ pool: PostgresPool) async throws -> [TaskFact] {
        []
    }
}
