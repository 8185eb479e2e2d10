import Foundation

/// The registry's events as the directory reads them
/// (`Services/Registry/Events/RegistryEvent.swift`, docs/asyncapi.yaml).
enum DirectoryPayload {
    /// `unit.admitted.v1`, `unit.updated.v1`.
    struct UnitState: Decodable, Sendable { var unit: DirectoryUnit }

    /// `liaison.changed.v1`: the unit and its new liaison (nil: none now).
    struct LiaisonChange: Decodable, Sendable {
        var unit: DirectoryUnit
        var liaison: DirectoryPerson?
        var previousLiaisonId: UUID?
    }

    /// `person.created.v1`, `person.changed.v1`.
    struct PersonState: Decodable, Sendable { var person: DirectoryPerson }
}
