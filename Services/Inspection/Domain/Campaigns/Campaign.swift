import Domain
import Foundation

/// A joint inspection campaign (联合指导检查, 通知 三(三); a 专项检查 when it
/// looks at one matter): the office opens it with a title, its basis, what it
/// covers and when, and forms joint working groups (联合工作组) that inspect
/// the member units (or training institutions) assigned to them. Its events
/// on `shuangjian.inspection.inspections` carry it whole.
struct Campaign: Codable, Sendable, Equatable, VersionedAggregate {
    enum Status: String, Codable, Sendable, CaseIterable {
        /// Groups are formed, units assigned and inspected.
        case open
        /// The circulated report (通报) is out; nothing more is assigned.
        case closed
    }

    var id: UUID
    var title: String
    /// Why the campaign is held (the notice's paragraph, a convener's decision).
    var basis: String
    /// What it looks at, in the office's words.
    var scope: String
    /// Member units (`unit`) or training institutions (`institution`).
    var subjectKind: InspectionSubjectKind
    var startDate: LocalDate
    var endDate: LocalDate
    /// A finding's rectification deadline, in working days, unless the inspector gives another.
    var rectificationWorkingDays: Int
    /// Items the office adds to every checklist of the campaign.
    var extraItems: [ChecklistItem]
    var groups: [WorkingGroup]
    var status: Status
    /// The circulated report (通报), once the office circulated it (which closes the campaign).
    var report: CampaignReport?
    var openedBy: String
    var openedAt: Date
    var version: Int
    var updatedAt: Date

    func group(_ id: UUID) -> WorkingGroup? { groups.first { $0.id == id } }
}

/// What a campaign inspects.
enum InspectionSubjectKind: String, Codable, Sendable, CaseIterable {
    /// A member unit: how it carries out its duties (通知 二(二)).
    case unit
    /// A training institution: the national rules (notes/training-rules.md).
    case institution
}

/// A joint working group (联合工作组): a lead unit, the units taking part,
/// and the named inspectors (people of the registry).
struct WorkingGroup: Codable, Sendable, Equatable {
    var id: UUID
    var name: String
    var leadUnitId: String
    var leadUnitName: String
    /// Every unit of the group, the lead first.
    var memberUnitIds: [String]
    var inspectors: [Inspector]

    /// Whether `unitId` is one of the group's own units (a group never inspects one of them).
    func includes(unit unitId: String) -> Bool { memberUnitIds.contains(unitId) }
}

/// A person of the registry named as an inspector.
struct Inspector: Codable, Sendable, Equatable {
    var personId: UUID
    var name: String
    /// Their unit; nil for a person outside the member units.
    var unitId: String?
}
