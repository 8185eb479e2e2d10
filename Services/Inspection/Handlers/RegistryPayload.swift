import Domain
import Foundation

// What the inspection service reads of the registry's events: only the
// fields its read model keeps (it never imports the registry's code).
// Unknown fields are ignored, so the registry may add some.
enum RegistryPayload {
    struct Institution: Decodable, Sendable {
        struct Units: Decodable, Sendable {
            var approving: [String]
            var registering: [String]
            var supervising: [String]
        }
        var id: UUID
        var creditCode: String
        var name: String
        var responsibleUnits: Units
        var version: Int
    }

    /// `institution.registered.v1`, `institution.status-changed.v1`, `institution.updated.v1`.
    struct InstitutionState: Decodable, Sendable { var institution: Institution }

    /// Proposal events share the units topic; nothing to keep, but the shape is checked.
    struct ProposalState: Decodable, Sendable {
        struct Proposal: Decodable, Sendable { var id: UUID }
        var proposal: Proposal
    }
}
