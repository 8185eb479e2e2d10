import Directory
import Domain
import Foundation

extension Inspection {
    /// Why `group` may not inspect `unitId` with `inspectorIds`, or nil:
    /// the group never inspects one of its own units, every inspector is one
    /// of the group's, and no inspector inspects their own unit.
    static func refusal(group: WorkingGroup, unitId: String?, inspectorIds: [UUID]) -> (field: String, detail: String)? {
        if let unitId, group.includes(unit: unitId) {
            return ("unitId", "\(unitId) is one of \(group.name)'s own units: a group does not inspect its own units")
        }
        for (index, personId) in inspectorIds.enumerated() {
            guard let inspector = group.inspectors.first(where: { $0.personId == personId }) else {
                return ("inspectorIds", "[\(index)]: \(personId) is not an inspector of \(group.name)")
            }
            if let unitId, inspector.unitId == unitId {
                return ("inspectorIds", "[\(index)]: \(inspector.name) belongs to \(unitId): an inspector never inspects their own unit")
            }
        }
        return nil
    }

    /// A training institution's inspection, its checklist from the national rules and the campaign's items.
    static func assign(
        id: UUID, campaign: Campaign, group: WorkingGroup, institution: RegistryFacts.Institution, inspectorIds: [UUID],
        checklist: InstitutionChecklist, assignment: Assignment, drawId: UUID?, at now: Date
    ) -> Inspection {
        let inspectors = inspectorIds.compactMap { personId in group.inspectors.first { $0.personId == personId } }
        return Inspection(
            id: id, campaignId: campaign.id, campaignTitle: campaign.title, groupId: group.id, groupName: group.name,
            subjectKind: .institution, unitId: nil, institutionId: institution.id, subjectName: institution.name,
            inspectors: inspectors, inspectorIds: inspectors.map(\.personId), assignment: assignment, drawId: drawId,
            items: checklist.checklist(extra: campaign.extraItems), status: .assigned, score: nil, submittedBy: nil,
            submittedAt: nil, findingIds: [], assignedAt: now, version: 1, updatedAt: now)
    }

    /// A member unit's inspection, its checklist from the unit's duties and the campaign's items.
    static func assign(
        id: UUID, campaign: Campaign, group: WorkingGroup, unit: DirectoryUnit, inspectorIds: [UUID],
        assignment: Assignment, drawId: UUID?, at now: Date
    ) -> Inspection {
        let inspectors = inspectorIds.compactMap { personId in group.inspectors.first { $0.personId == personId } }
        return Inspection(
            id: id, campaignId: campaign.id, campaignTitle: campaign.title, groupId: group.id, groupName: group.name,
            subjectKind: .unit, unitId: unit.id, institutionId: nil, subjectName: unit.name, inspectors: inspectors,
            inspectorIds: inspectors.map(\.personId), assignment: assignment, drawId: drawId,
            items: Checklist.forUnit(unit, extra: campaign.extraItems), status: .assigned, score: nil, submittedBy: nil,
            submittedAt: nil, findingIds: [], assignedAt: now, version: 1, updatedAt: now)
    }
}
