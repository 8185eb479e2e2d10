import Domain
import EventFlow
import Foundation

/// The registry's events (DESIGN.md §3). Each carries the aggregate's whole
/// current state under its name (`unit`, `person`, `proposal`,
/// `institution`), so a consumer reading a topic from the beginning rebuilds
/// the registry; a few carry what changed besides.
enum RegistryEvent {
    struct UnitState: Codable, Sendable { var unit: MemberUnit }
    struct LiaisonChange: Codable, Sendable {
        var unit: MemberUnit
        var liaison: Person?
        var previousLiaisonId: UUID?
    }
    struct PersonState: Codable, Sendable { var person: Person }
    struct ProposalState: Codable, Sendable { var proposal: MembershipProposal }
    struct InstitutionState: Codable, Sendable {
        var institution: TrainingInstitution
        var previousStatus: InstitutionStatus?
    }

    static func unit(_ type: String, _ unit: MemberUnit) throws -> OutboxEvent {
        try OutboxEvent(
            topic: Topic.registryUnits, aggregateType: "unit", aggregateId: unit.id, type: type,
            subject: "units/\(unit.id)", payload: UnitState(unit: unit), occurredAt: unit.updatedAt)
    }

    static func liaisonChanged(_ unit: MemberUnit, liaison: Person?, previous: UUID?) throws -> OutboxEvent {
        try OutboxEvent(
            topic: Topic.registryUnits, aggregateType: "unit", aggregateId: unit.id, type: EventType.liaisonChanged,
            subject: "units/\(unit.id)", payload: LiaisonChange(unit: unit, liaison: liaison, previousLiaisonId: previous),
            occurredAt: unit.updatedAt)
    }

    /// Proposals share the units topic: they are about (future) units.
    static func proposal(_ type: String, _ proposal: MembershipProposal, at time: Date) throws -> OutboxEvent {
        let id = proposal.id.uuidString.lowercased()
        return try OutboxEvent(
            topic: Topic.registryUnits, aggregateType: "membership-proposal", aggregateId: "proposal-\(id)", type: type,
            subject: "membership-proposals/\(id)", payload: ProposalState(proposal: proposal), occurredAt: time)
    }

    static func person(_ type: String, _ person: Person) throws -> OutboxEvent {
        let id = person.id.uuidString.lowercased()
        return try OutboxEvent(
            topic: Topic.registryPeople, aggregateType: "person", aggregateId: id, type: type,
            subject: "people/\(id)", payload: PersonState(person: person), occurredAt: person.updatedAt)
    }

    static func institution(_ type: String, _ institution: TrainingInstitution, previousStatus: InstitutionStatus? = nil) throws -> OutboxEvent {
        let id = institution.id.uuidString.lowercased()
        return try OutboxEvent(
            topic: Topic.registryInstitutions, aggregateType: "institution", aggregateId: id, type: type,
            subject: "institutions/\(id)", payload: InstitutionState(institution: institution, previousStatus: previousStatus),
            occurredAt: institution.updatedAt)
    }
}
