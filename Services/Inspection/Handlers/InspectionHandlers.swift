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
        for type in EventType.countySignals {
            handlers.on(type, SignalPayload.self) { event, connection in
                let envelope = SignalIntake.Envelope(
                    source: event.event.source, eventId: event.event.id, type: type, data: event.payload, via: .kafka)
                do {
                    _ = try await intake.apply(envelope, on: connection)
                } catch let invalid as InvalidSignal {
                    throw EventRejected("invalid county signal: \(invalid.description)")
                }
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
