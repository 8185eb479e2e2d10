import Directory
import Domain
import Foundation
import ServiceKit

@testable import Inspection

/// A campaign, a draw, an inspection and a finding with every optional
/// member set (full) or as few as a real one can have.
enum CampaignSamples {
    struct Sample {
        var campaign: Campaign
        var draw: DrawRecord
        var inspection: Inspection
        var finding: Finding
    }

    static func make(full: Bool) throws -> Sample {
        let now = Date()
        let inspector = Inspector(personId: UUID(), name: "王芳", unitId: full ? "market-regulation-bureau" : nil)
        let group = WorkingGroup(
            id: UUID(), name: "第一联合工作组", leadUnitId: "market-regulation-bureau", leadUnitName: "县市场监管局",
            memberUnitIds: ["market-regulation-bureau"], inspectors: [inspector])
        let extra = full ? [ChecklistItem(id: "o1", text: "检查台账是否齐全", basis: "三（三）", source: .office, dutyId: nil, result: nil)] : []
        var campaign = Campaign(
            id: UUID(), title: "2026年“双减”工作联合指导检查", basis: "通知 三（三）", scope: "各成员单位“双减”职责落实情况",
            subjectKind: .unit, startDate: try LocalDate(year: 2026, month: 12, day: 1), endDate: try LocalDate(year: 2026, month: 12, day: 31),
            rectificationWorkingDays: 10, extraItems: extra, groups: full ? [group] : [], status: full ? .closed : .open, report: nil,
            openedBy: "office-1", openedAt: now, version: 1, updatedAt: now)
        let unit = DirectoryUnit(
            id: "education-bureau", name: "县教育局",
            duties: [DirectoryDuty(id: "education-bureau/1", text: "负责抓好统筹协调", topics: ["coordination"])], version: 1)
        let inputs = RandomDraw.Inputs(
            subjects: [RandomDraw.Subject(id: unit.id, name: unit.name, unitId: full ? unit.id : nil)],
            groups: [RandomDraw.Group(
                id: group.id.uuidString.lowercased(), memberUnitIds: group.memberUnitIds,
                inspectors: [RandomDraw.Member(personId: inspector.personId.uuidString.lowercased(), unitId: inspector.unitId)])],
            inspectorsPerInspection: 1)
        var inspection = Inspection.assign(
            id: UUID(), campaign: campaign, group: group, unit: unit, inspectorIds: [inspector.personId],
            assignment: full ? .draw : .manual, drawId: full ? UUID() : nil, at: now)
        let draw = DrawRecord(
            id: UUID(), campaignId: campaign.id, algorithm: RandomDraw.algorithm, seed: RandomDraw.text(42), seedGiven: full,
            inputs: inputs, assignments: try RandomDraw.run(inputs, seed: 42), inspectionIds: [inspection.id], drawnBy: "office-1",
            drawnAt: now)
        if full, let first = inspection.items.first {
            try inspection.attach(EvidenceFile(
                id: UUID(), inspectionId: inspection.id, itemId: first.id, fileName: "监管台账.pdf", kind: .pdf,
                mediaType: "application/pdf", size: 1024, sha256: String(repeating: "ab", count: 32),
                uploadedBy: inspector.personId.uuidString.lowercased(), uploadedAt: now))
        }
        for item in inspection.items {
            try inspection.record(itemId: item.id, ItemResult(
                outcome: full ? .notCompliant : .partly, notes: full ? "未制定工作方案" : nil, needsRectification: full,
                rectificationWorkingDays: full ? 5 : nil, recordedBy: inspector.personId.uuidString, recordedAt: now))
        }
        let needing = try inspection.submit(by: "office-1", at: now)
        var finding = Finding.raise(
            id: UUID(), inspection: inspection, item: full ? needing[0] : inspection.items[0],
            result: inspection.items[0].result!, unitId: unit.id, unitName: unit.name, workingDays: 10, calendar: .china, at: now)
        if full {
            inspection.findingIds = [finding.id]
            _ = finding.taskMoved(reference: finding.rectification!.id, taskId: UUID(), completed: true, at: now)
            try finding.recheck(passed: false, note: "整改不到位", by: "office-1", workingDays: 5, calendar: .china, at: now)
            _ = finding.taskMoved(reference: finding.rectification!.id, taskId: UUID(), completed: true, at: now)
            try finding.recheck(passed: true, note: "已整改到位", by: "office-1", workingDays: 5, calendar: .china, at: now)
            finding.institutionId = UUID()
            finding.institutionName = "房县启航培训学校"
        }
        if full {
            campaign.report = CampaignReport.compile(
                note: "个别单位日常监管台账不健全", inspections: [inspection], findings: [finding], recipientUnitIds: [unit.id],
                by: "office-1", at: now)
        }
        return Sample(campaign: campaign, draw: draw, inspection: inspection, finding: finding)
    }
}
