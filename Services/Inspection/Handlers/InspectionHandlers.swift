import Directory
import Domain
import EventFlow
import Foundation
import Postgres

/// The `inspection` consumer group's handlers (`ConsumerGroup.inspection`):
/// county signals through `SignalIntake` (the same apply function as
/// `POST /v1/signals`), the registry's units and people into the shared
/// directory and its institutions into the read model that matching uses;
/// the scheduling service's task events for the findings' rectification.
enum InspectionHandlers {
    static func make(intake: SignalIntake) -> EventHandlers {
        var handlers = EventHandlers()
        // County signals, a run of them at a time (one set of statements per
        // run); an invalid one is a dead letter before the transaction, so it
        // never sends its batch down the one-by-one path.
        @Sendable func envelope(_ event: ConsumedEvent<SignalPayload>) -> SignalIntake.Envelope {
            SignalIntake.Envelope(source: event.event.source, eventId: event.event.id, type: event.event.type, data: event.payload, via: .kafka)
        }
        handlers.onBatch(EventType.countySignals, SignalPayload.self, check: { event in
            if case .failure(let invalid) = intake.check(envelope(event)) { throw EventRejected("invalid county signal: \(invalid)") }
        }) { events, connection in
            for result in try await intake.apply(events.map(envelope), on: connection) {
                // Only data checked again at apply time can fail here (a clock
                // edge): the run is then retried event by event and this one dead-lettered.
                if case .failure(let invalid) = result { throw EventRejected("invalid county signal: \(invalid.description)") }
            }
        }
        // Units, their duties and people: the shared directory (Shared/Directory).
        DirectoryHandlers.register(into: &handlers)
        for type in [EventType.proposalSubmitted, EventType.proposalStudied, EventType.proposalDecided] {
            handlers.on(type, RegistryPayload.ProposalState.self) { _, _ in }
        }
        for type in [EventType.institutionRegistered, EventType.institutionStatusChanged, EventType.institutionUpdated] {
            handlers.on(type, RegistryPayload.InstitutionState.self) { event, connection in
                let institution = event.payload.institution
                try await RegistryStore.upsertInstitution(
                    RegistryFacts.Institution(
                        id: institution.id, creditCode: institution.creditCode.uppercased(), name: institution.name,
                        supervising: institution.responsibleUnits.supervising, approving: institution.responsibleUnits.approving,
                        registering: institution.responsibleUnits.registering),
                    version: institution.version, on: connection)
            }
        }
        // Rectification tasks of findings (joint inspections).
        RectificationHandlers.register(into: &handlers, now: intake.now)
        return handlers
    }
}
