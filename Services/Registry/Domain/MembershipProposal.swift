import Domain
import Foundation

/// Admitting a new member unit: proposed by the office → studied at a
/// mechanism meeting → approved by the county government → admitted.
/// Either step may reject it.
struct MembershipProposal: Codable, Sendable, Equatable, VersionedAggregate {
    var id: UUID
    var unitName: String
    /// The id the unit gets when admitted (an English slug like the seeded ones).
    var proposedUnitId: String
    /// The duties the new unit would take on, with their topics.
    var duties: [ProposedDuty]
    var reason: String
    var status: ProposalStatus
    var proposed: Step
    var studied: StudyStep?
    var decided: DecisionStep?
    /// The unit created on approval.
    var admittedUnitId: String?
    var version: Int
    /// The time of its last step.
    var updatedAt: Date

    struct Step: Codable, Sendable, Equatable {
        var by: String
        var at: Date
    }

    struct StudyStep: Codable, Sendable, Equatable {
        var by: String
        var at: Date
        /// The mechanism meeting that studied it (e.g. its minutes' reference).
        var meetingReference: String
        var recommended: Bool
        var note: String?
    }

    struct DecisionStep: Codable, Sendable, Equatable {
        var by: String
        var at: Date
        var approved: Bool
        /// The county government's approval document number (when approved).
        var approvalDocument: String?
        var reason: String?
    }
}

struct ProposedDuty: Codable, Sendable, Equatable {
    var text: String
    var topics: [DutyTopic]
}

enum ProposalStatus: String, Codable, Sendable, Equatable {
    case proposed, studied, approved, rejected
}
