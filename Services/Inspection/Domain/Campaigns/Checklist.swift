import Directory
import Domain
import Foundation

/// The checklist of an inspected member unit: one item per duty of the
/// unit in the duty matrix (通知 二(二), its own sentence), the work plan
/// the notice asks of every member unit (四(一)), then the items the office
/// added to the campaign.
enum Checklist {
    /// The notice's paragraph of the duty matrix.
    static let dutyBasis = "二（二）"

    static func forUnit(_ unit: DirectoryUnit, extra: [ChecklistItem]) -> [ChecklistItem] {
        var items: [ChecklistItem] = []
        for (index, duty) in unit.duties.enumerated() {
            let role = DutyRole(rawValue: duty.role) == .assisting ? "（配合）" : ""
            items.append(ChecklistItem(
                id: "d\(index + 1)", text: "\(unit.name)\(role)：\(duty.text)", basis: dutyBasis, source: .duty,
                dutyId: duty.id, result: nil))
        }
        items.append(ChecklistItem(
            id: "n1", text: "按照我县关于“双减”工作任务分工，制定本单位工作方案，做好涉及本单位相关工作", basis: "四（一）",
            source: .notice, dutyId: nil, result: nil))
        return items + extra
    }
}
