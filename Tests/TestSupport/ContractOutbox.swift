import Foundation
import Postgres

extension ContractAsyncAPI {
    /// Problems of every event a service's outbox holds (as the relay would
    /// publish it: topic, type, key, subject, payload) against the document.
    /// A test that drives a service through its API ends with this, so every
    /// event the real code path wrote is a documented message, not only the
    /// samples a contract test builds by hand.
    package func problems(ofOutboxIn pool: PostgresPool, topic: String? = nil) async throws -> [String] {
        var problems: [String] = []
        let rows = try await pool.query(
            "SELECT topic, type, aggregateid, subject, payload::text FROM outbox WHERE \(topic) IS NULL OR topic = \(topic) ORDER BY seq")
        for row in rows {
            let (eventTopic, type, key, subject, payload) = try row.decode((String, String, String, String?, String).self)
            problems += try self.problems(
                topic: eventTopic, type: type, key: key, headers: nil, subject: subject, payload: Array(payload.utf8))
        }
        return problems
    }
}
