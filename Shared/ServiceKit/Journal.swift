import Audit
import EventFlow
import Foundation
import Postgres

/// The one way a write path records what it did: its events into the
/// outbox (published to Kafka) and one audit entry per event (who, when,
/// what, a digest of the payload) into the hash-chained audit log — in the
/// caller's transaction, so a rolled-back act leaves neither.
///
/// The audit append comes last: it holds the chain's head row until COMMIT,
/// so the service's writers queue there only briefly, and never while they
/// still wait for an aggregate's row lock.
public enum Journal {
    public static func record(
        _ events: [OutboxEvent], by actor: AuditActor, at time: Date, on connection: PostgresConnection
    ) async throws {
        guard !events.isEmpty else { return }
        try await Outbox.append(events, on: connection)
        try await AuditLog.append(events.map(AuditRecord.init), by: actor, at: time, on: connection)
    }

    public static func record(
        _ event: OutboxEvent, by actor: AuditActor, at time: Date, on connection: PostgresConnection
    ) async throws {
        try await record([event], by: actor, at: time, on: connection)
    }
}
