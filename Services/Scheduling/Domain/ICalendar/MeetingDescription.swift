import Foundation

/// The DESCRIPTION of a sitting's calendar entry, in the county's words: the
/// chair, the agenda and, per item, who is invited to its special study.
enum MeetingDescription {
    /// `unitName` turns a unit id into the name the county reads.
    static func text(of meeting: Meeting, unitName: (String) -> String) -> String {
        var lines: [String] = []
        let chair = meeting.chair.delegatedBy == nil ? meeting.chair.name : "\(meeting.chair.name)（受召集人委托）"
        lines.append("主持人：\(chair)")
        if meeting.agenda.isEmpty {
            lines.append("议程：另行通知")
        } else {
            lines.append("议程：")
            for (index, item) in meeting.agenda.enumerated() {
                var line = "\(index + 1). \(item.title)"
                if let presenter = item.presenterUnitId { line += "（\(unitName(presenter))汇报）" }
                lines.append(line)
                for invitation in item.invitations {
                    let kind = invitation.kind == .expert ? "专家" : "部门"
                    let field = invitation.field.map { "，\($0)" } ?? ""
                    lines.append("   邀请\(kind)参与专题研究：\(invitation.name)（\(invitation.organisation)\(field)）")
                }
            }
        }
        if let cancelled = meeting.cancelled { lines.append("会议取消：\(cancelled.reason)") }
        return lines.joined(separator: "\n")
    }
}
