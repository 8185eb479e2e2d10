import Domain
import EventFlow
import Foundation
import Logging
import Postgres

/// The notification service's consumer: one handler per event type that
/// first updates the directory (registry events) and then routes the event
/// by its rule, both in the consumer's transaction.
///
/// main.swift: `assembly.consume(.notification, handlers: NotificationHandlers.make(rules: …))`;
/// the group's topics are declared once, in `ConsumerGroup.notification` (Shared/Domain).
enum NotificationHandlers {
    /// What the `notification` consumer group reads (`ConsumerGroup.notification`).
    static var topics: [String] { ConsumerGroup.notification.topics }

    /// - Parameters:
    ///   - rules: the routing rules (`RoutingRules.bundled()`).
    ///   - clock: now, for `created_at`, `next_attempt_at` and `escalate_at`.
    ///   - maxEventAge: events whose `ce_time` is older than this update the
    ///     directory but notify nobody, so rebuilding the directory from the
    ///     topics' beginning does not resend years of alerts. nil: no limit.
    static func make(
        rules: RoutingRules,
        clock: @escaping @Sendable () -> Date = { Date() },
        calendar: WorkingDayCalendar = .china,
        officeHours: OfficeHours = .county,
        maxEventAge: TimeInterval? = 7 * 24 * 3600,
        logger: Logger = Logger(label: "notification.routing")
    ) -> EventHandlers {
        let router = NotificationRouter(rules: rules, clock: clock, calendar: calendar, officeHours: officeHours, logger: logger)
        @Sendable func route(_ event: CloudEvent, _ data: JSONValue, _ connection: PostgresConnection) async throws {
            try await routeAll([(event, data)], connection)
        }
        @Sendable func routeAll(_ events: [(CloudEvent, JSONValue)], _ connection: PostgresConnection) async throws {
            let routable = events.filter { event, _ in
                guard !rules.rules(for: event.type).isEmpty else { return false }
                if let maxEventAge, let time = event.time, clock().timeIntervalSince(time) > maxEventAge {
                    logger.info("event too old to notify anyone; directory only",
                                metadata: ["type": "\(event.type)", "event": "\(event.id)", "time": "\(RFC3339.format(time))"])
                    return false
                }
                return true
            }
            guard !routable.isEmpty else { return }
            try await router.route(routable.map { (event: $0.0, data: $0.1) }, on: connection)
        }

        var handlers = EventHandlers()
        for type in [EventType.unitAdmitted, EventType.unitUpdated] {
            handlers.on(type, Routed<DirectoryPayload.UnitState>.self) { event, connection in
                try await DirectoryStore.upsert(event.payload.typed.unit, on: connection)
                try await route(event.event, event.payload.data, connection)
            }
        }
        handlers.on(EventType.liaisonChanged, Routed<DirectoryPayload.LiaisonChange>.self) { event, connection in
            // The liaison first: the unit row then points at a person the directory has.
            if let liaison = event.payload.typed.liaison { try await DirectoryStore.upsert(liaison, on: connection) }
            try await DirectoryStore.upsert(event.payload.typed.unit, on: connection)
            try await route(event.event, event.payload.data, connection)
        }
        for type in [EventType.personCreated, EventType.personChanged] {
            handlers.on(type, Routed<DirectoryPayload.PersonState>.self) { event, connection in
                try await DirectoryStore.upsert(event.payload.typed.person, on: connection)
                try await route(event.event, event.payload.data, connection)
            }
        }
        for type in [EventType.proposalSubmitted, EventType.proposalStudied, EventType.proposalDecided] {
            handlers.on(type, Routed<DirectoryPayload.ProposalState>.self) { event, connection in
                try await route(event.event, event.payload.data, connection)
            }
        }
        for type in [EventType.institutionRegistered, EventType.institutionStatusChanged, EventType.institutionUpdated] {
            handlers.on(type, Routed<DirectoryPayload.InstitutionState>.self) { event, connection in
                try await route(event.event, event.payload.data, connection)
            }
        }
        // Events that only notify (letters, warnings, …) come in runs: a
        // burst of letters is routed together (the directory read once, the
        // rows written in one statement each). Registry events update the
        // directory, so they stay one by one.
        for type in rules.eventTypes where !EventType.registry.contains(type) {
            handlers.onBatch(type, DirectoryPayload.Other.self) { events, connection in
                try await routeAll(try events.map { ($0.event, try JSONValue.parse($0.event.data)) }, connection)
            }
        }
        return handlers
    }
}
