import Domain
import Foundation
import Postgres

/// A kind's cadence from the database's facts (the last sitting held, the next scheduled).
enum CadenceCheck {
    static func status(
        _ kind: MeetingKind, watch: CadenceWatch, since: String, at time: Date, on connection: PostgresConnection
    ) async throws -> CadenceWatch.Status {
        let facts = try await MeetingStore.cadenceFacts(kind, now: time, on: connection)
        return try watch.status(
            of: kind, lastHeldOn: facts.lastHeld.map { LocalDateTime($0).date }, since: LocalDate(since) ?? LocalDateTime(time).date,
            nextScheduledOn: facts.nextScheduled.map { LocalDateTime($0).date }, today: LocalDateTime(time).date)
    }
}
