import Domain
import Foundation
import ServiceKit

// What the inspection service's events become here, as pure values: a
// handling step or a rectification round is a task draft, a 专题研判 request
// an ad hoc meeting request. The handlers store them; the texts live here.

extension InspectionPayload.Warning {
    /// The `<warning id>/` every step id of this warning starts with.
    var stepPrefix: String { id.uuidString.lowercased() + "/" }

    /// 房县启航培训学校红色预警.
    func name(at level: WarningLevel) -> String { "\(subject.name)\(level.chineseName)预警" }

    /// The task of handling step `step` (origin `warning-handling`, reference = the step's id):
    /// the title says which warning and what to do, so two steps of one unit read apart.
    func draft(for step: InspectionPayload.HandlingStep) -> TaskDraft {
        var detail = "按照专题研判制度，对\(name(at: step.level))及时处置"
            + "（\(step.role == .lead ? "牵头处置" : "配合处置")，\(step.workingDays)个工作日内完成）。"
        if step.provisional { detail += "完成时限按暂定的节假日安排计算。" }
        return TaskDraft(
            title: "\(name(at: step.level))处置：\(step.title)", detail: detail,
            origin: TaskOrigin(kind: .warningHandling, reference: step.id), leadUnitId: step.unitId, due: .date(step.dueDate))
    }
}

extension InspectionPayload.Finding {
    /// The task of the current 整改 round (origin `inspection-finding`,
    /// reference = `rectification.id`), as the contract gives it: its title,
    /// lead, assisting units and due date; the detail says what was found.
    func draft(for rectification: InspectionPayload.Rectification) -> TaskDraft {
        var lines = ["联合指导检查：\(campaignTitle)"]
        lines.append("检查项目：\(item.text)" + (item.basis.map { "（通知\($0)）" } ?? ""))
        lines.append("检查结果：\(outcome.chinese)")
        lines.append("问题描述：\(description)")
        lines.append("整改轮次：第\(rectification.round)轮，\(rectification.workingDays)个工作日内整改到位")
        if rectification.provisional { lines.append("整改时限按暂定的节假日安排计算。") }
        return TaskDraft(
            title: rectification.title, detail: lines.joined(separator: "\n"),
            origin: TaskOrigin(kind: .inspectionFinding, reference: rectification.id), leadUnitId: rectification.unitId,
            assistingUnitIds: rectification.assistingUnitIds, due: .date(rectification.dueDate))
    }
}

extension InspectionPayload.SpecialStudyState {
    /// The problems with the request itself (field path, detail), before anything is written.
    var problems: [(field: String, detail: String)] {
        var problems: [(String, String)] = []
        if request.warningId != warning.id { problems.append(("request.warningId", "must be the warning's id \(warning.id)")) }
        if request.title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problems.append(("request.title", "must not be blank")) }
        if request.unitIds.isEmpty { problems.append(("request.unitIds", "must name at least one unit")) }
        if Set(request.unitIds).count != request.unitIds.count { problems.append(("request.unitIds", "must not repeat a unit")) }
        return problems
    }

    /// The ad hoc meeting request the conveners decide: an ad hoc liaison
    /// meeting (必要时经召集人同意，可临时召开例会) of the units the warning
    /// names, on the warning, held by `holdBy`. Its id is the inspection
    /// service's request id, so the request is made once however often the
    /// event comes; who asked is the inspection service (`source`).
    func adHocRequest(source: String, at now: Date) -> AdHocRequest {
        let warningName = warning.name(at: request.level)
        let reason = "\(warningName)，按照专题研判制度，提请召集人于\(ChineseDate.text(request.holdBy))前"
            + "组织相关成员单位召开专题研判会议。"
        return AdHocRequest(
            id: request.id, kind: .liaison, title: TextRules.trimmed(request.title), reason: reason,
            proposedStartsAt: nil, proposedEndsAt: nil, place: nil, agenda: [TextRules.trimmed(request.title)],
            unitIds: request.unitIds,
            specialStudy: SpecialStudyOrigin(
                source: source, requestId: request.id, warningId: request.warningId, level: request.level,
                subjectName: request.subject.name, holdBy: request.holdBy, provisional: request.provisional,
                reason: request.reason),
            status: .pending, requested: Meeting.Step(by: "inspection", at: request.requestedAt), decided: nil,
            meetingId: nil, version: 1, updatedAt: now)
    }
}
