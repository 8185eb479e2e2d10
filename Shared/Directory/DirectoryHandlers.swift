import Domain
import EventFlow
import Foundation
import Postgres

/// The directory's part of a service's consumer: the registry's unit and
/// person events upsert the directory in the consumer's transaction. A
/// service whose consumer group reads `shuangjian.registry.units` and
/// `shuangjian.registry.people` registers them once:
///
/// ```swift
/// var handlers = EventHandlers()
/// DirectoryHandlers.register(into: &handlers, followUps: .init(unitAdmitted: { unit, event, connection in … }))
/// ```
///
/// A service that must act on a directory change (scheduling gives every
/// admitted unit its 工作方案 task) passes a follow-up rather than a second
/// handler for the same type: `EventHandlers` holds one handler per type.
public enum DirectoryHandlers {
    /// What a service does after the directory took a change, in the same transaction.
    public struct FollowUps: Sendable {
        public typealias UnitFollowUp = @Sendable (DirectoryUnit, CloudEvent, PostgresConnection) async throws -> Void
        /// After `unit.admitted.v1` was applied (also when the row was already
        /// newer: the follow-up decides what it has done before).
        public var unitAdmitted: UnitFollowUp?
        /// After `unit.updated.v1` or `liaison.changed.v1` was applied.
        public var unitChanged: UnitFollowUp?

        public init(unitAdmitted: UnitFollowUp? = nil, unitChanged: UnitFollowUp? = nil) {
            self.unitAdmitted = unitAdmitted
            self.unitChanged = unitChanged
        }
    }

    /// The registry types the directory handles.
    public static let types: [String] = [
        EventType.unitAdmitted, EventType.unitUpdated, EventType.liaisonChanged,
        EventType.personCreated, EventType.personChanged,
    ]

    public static func register(into handlers: inout EventHandlers, followUps: FollowUps = FollowUps()) {
        handlers.on(EventType.unitAdmitted, DirectoryPayload.UnitState.self) { event, connection in
            try await DirectoryStore.upsert(event.payload.unit, at: time(of: event), on: connection)
            try await followUps.unitAdmitted?(event.payload.unit, event.event, connection)
        }
        handlers.on(EventType.unitUpdated, DirectoryPayload.UnitState.self) { event, connection in
            try await DirectoryStore.upsert(event.payload.unit, at: time(of: event), on: connection)
            try await followUps.unitChanged?(event.payload.unit, event.event, connection)
        }
        handlers.on(EventType.liaisonChanged, DirectoryPayload.LiaisonChange.self) { event, connection in
            // The liaison first: the unit row then points at a person the directory has.
            if let liaison = event.payload.liaison {
                try await DirectoryStore.upsert(liaison, at: time(of: event), on: connection)
            }
            try await DirectoryStore.upsert(event.payload.unit, at: time(of: event), on: connection)
            try await followUps.unitChanged?(event.payload.unit, event.event, connection)
        }
        for type in [EventType.personCreated, EventType.personChanged] {
            handlers.on(type, DirectoryPayload.PersonState.self) { event, connection in
                try await DirectoryStore.upsert(event.payload.person, at: time(of: event), on: connection)
            }
        }
    }

    /// When the change happened, for a payload without `updatedAt`: the
    /// event's time, else when it was produced.
    private static func time<Payload: Sendable>(of event: ConsumedEvent<Payload>) -> Date {
        event.event.time ?? event.kafkaTimestamp ?? Date(timeIntervalSince1970: 0)
    }
}
