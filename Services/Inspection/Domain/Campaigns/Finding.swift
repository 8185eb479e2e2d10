import Domain
import Foundation

/// A finding (检查发现的问题) that needs rectification: an item an inspection
/// found partly or not compliant. Each round of rectification is one task
/// of the unit in the scheduling service (keyed by `rectification.id`); the
/// group's re-check (复查) closes it or starts the next round. The payload
/// is the contract with the scheduling service
/// (prompts: contract-inspection-scheduling; docs/asyncapi.yaml).
struct Finding: Codable, Sendable, Equatable, VersionedAggregate {
    enum Status: String, Codable, Sendable, CaseIterable {
        /// Raised (or re-opened by a failed re-check); the task is not yet taken on.
        case open
        /// The unit is working on its rectification task.
        case rectifying
        /// The task was completed: the group re-checks.
        case awaitingRecheck = "awaiting-recheck"
        case closed
    }

    struct Item: Codable, Sendable, Equatable {
        var id: String
        var text: String
        var basis: String
    }

    /// One round of rectification: the unit's task in the scheduling service.
    struct Rectification: Codable, Sendable, Equatable {
        /// `<finding id>/<round>`: the scheduling service's idempotency key for the task.
        var id: String
        var round: Int
        var title: String
        var unitId: String
        var assistingUnitIds: [String]
        var assignedAt: Date
        var dueDate: LocalDate
        var workingDays: Int
        var provisional: Bool
        /// The scheduling service's task, once its events name it.
        var taskId: UUID?
        /// When the task was completed (the office accepted the report).
        var completedAt: Date?
        /// Completed by the end of its due day (China time).
        var onTime: Bool?
    }

    /// A re-check (复查) by the group.
    struct Recheck: Codable, Sendable, Equatable {
        var round: Int
        var passed: Bool
        var note: String
        var by: String
        var at: Date
    }

    struct Closing: Codable, Sendable, Equatable {
        /// `recheck-passed` or `office`.
        var reason: String
        var note: String?
        var by: String
        var at: Date
    }

    var id: UUID
    var campaignId: UUID
    var campaignTitle: String
    var inspectionId: UUID
    var groupId: UUID
    var subjectKind: InspectionSubjectKind
    /// The member unit that must rectify (for an institution: its lead supervising unit).
    var unitId: String
    var unitName: String
    /// Every unit that acts on it, `unitId` first: for an institution, its
    /// supervising units and the units of the item's duty-matrix topics
    /// (leads first); for a member unit, the unit.
    var responsibleUnitIds: [String]
    /// The inspected institution, for an institution's finding.
    var institutionId: UUID?
    var institutionName: String?
    /// The inspection's inspectors: who re-checks (复查).
    var inspectorIds: [UUID]
    var item: Item
    var outcome: ItemResult.Outcome
    var description: String
    var status: Status
    /// The current round; null when none is required.
    var rectification: Rectification?
    /// Earlier rounds, oldest first.
    var previousRounds: [Rectification]
    var rechecks: [Recheck]
    var closed: Closing?
    var raisedAt: Date
    var version: Int
    var updatedAt: Date
}
