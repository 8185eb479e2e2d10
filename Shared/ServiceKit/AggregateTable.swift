import Audit
import Domain
import EventFlow
import Foundation
import Postgres

/// How one kind of aggregate is locked and written: the service's Store
/// supplies it (all SQL stays in Store/).
public struct AggregateTable<Aggregate: VersionedAggregate, ID: Sendable & CustomStringConvertible>: Sendable {
    /// What the aggregate is called in a 404, e.g. "member unit".
    public var name: String
    /// A plain read: nil when there is no such aggregate.
    public var find: @Sendable (ID, PostgresPool) async throws -> Aggregate?
    /// `SELECT … FOR UPDATE`: nil when there is no such aggregate.
    public var lock: @Sendable (ID, PostgresConnection) async throws -> Aggregate?
    public var update: @Sendable (Aggregate, PostgresConnection) async throws -> Void

    public init(
        name: String, find: @escaping @Sendable (ID, PostgresPool) async throws -> Aggregate?,
        lock: @escaping @Sendable (ID, PostgresConnection) async throws -> Aggregate?,
        update: @escaping @Sendable (Aggregate, PostgresConnection) async throws -> Void
    ) {
        self.name = name
        self.find = find
        self.lock = lock
        self.update = update
    }
}

extension PostgresPool {
    /// The aggregate, or a 404 naming what is missing.
    public func existing<Aggregate: VersionedAggregate, ID>(_ table: AggregateTable<Aggregate, ID>, _ id: ID) async throws -> Aggregate {
        guard let aggregate = try await table.find(id, self) else { throw Problem.notFound("no \(table.name) \(id)") }
        return aggregate
    }

    /// The one way an aggregate changes: in one transaction, lock its row,
    /// bump its version and stamp `now`, let `mutate` change it (and other
    /// rows on the same connection) and name the events that say what
    /// happened, write it, and record those events (outbox and audit log,
    /// `Journal`) as `actor`'s act. A throw anywhere rolls everything back;
    /// an unknown id is a 404.
    public func change<Aggregate: VersionedAggregate, ID>(
        _ table: AggregateTable<Aggregate, ID>, _ id: ID, by actor: AuditActor, at now: Date,
        _ mutate: @escaping @Sendable (inout Aggregate, PostgresConnection) async throws -> [OutboxEvent]
    ) async throws -> Aggregate {
        try await transaction { connection in
            guard var aggregate = try await table.lock(id, connection) else {
                throw Problem.notFound("no \(table.name) \(id)")
            }
            aggregate.version += 1
            aggregate.updatedAt = now
            let events = try await mutate(&aggregate, connection)
            try await table.update(aggregate, connection)
            try await Journal.record(events, by: actor, at: now, on: connection)
            return aggregate
        }
    }
}
