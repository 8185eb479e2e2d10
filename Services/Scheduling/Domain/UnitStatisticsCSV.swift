import Foundation
import ServiceKit

/// Unit statistics as CSV that Excel opens as it is (`ExcelCSV`), with Chinese headings.
enum UnitStatisticsCSV {
    static let headings = [
        "单位", "单位代码", "起始日期", "截止日期",
        "交办任务数", "按期完成数", "逾期数", "平均完成天数",
        "收到函件数", "督办函数", "协调函数", "已签收数", "平均签收用时（工作小时）",
        "应报办理情况数", "按期报送数", "逾期报送数", "当前逾期未报数", "再次督办数",
        "应参会次数", "出席次数", "委托出席次数", "请假缺席次数", "未回复次数", "未请假缺席次数",
    ]

    static func render(_ rows: [UnitStatistics], unitNames: [String: String] = [:]) -> String {
        ExcelCSV.document(headings: headings, rows: rows.map { row in [
            unitNames[row.unitId] ?? row.unitId, row.unitId, row.from.description, row.to.description,
            "\(row.tasks.assigned)", "\(row.tasks.doneOnTime)", "\(row.tasks.overdue)", number(row.tasks.averageDaysToComplete),
            "\(row.letters.received)", "\(row.letters.supervision)", "\(row.letters.coordination)",
            "\(row.letters.signedFor)", number(row.letters.averageWorkingHoursToReceipt),
            "\(row.letters.reportsDue)", "\(row.letters.reportsOnTime)", "\(row.letters.reportsLate)",
            "\(row.letters.repliesOverdue)", "\(row.letters.escalated)",
            "\(row.meetings.expected)", "\(row.meetings.attended)", "\(row.meetings.deputised)",
            "\(row.meetings.absentWithReason)", "\(row.meetings.noAnswer)", "\(row.meetings.absentUnannounced)",
        ] })
    }

    private static func number(_ value: Double?) -> String {
        value.map { String(format: "%.1f", $0) } ?? ""
    }
}
