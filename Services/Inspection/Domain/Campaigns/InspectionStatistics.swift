import Domain
import Foundation
import ServiceKit

/// Joint-inspection statistics per unit (issue 12, "statistics per unit, per
/// campaign and per period"): the unit's inspections and scores, the
/// findings it must rectify and how they went, and the warnings it answers
/// for — raised in the period, and open at its end (docs/statistics.md,
/// "Joint inspections"). A pure function of what the stores read.
struct InspectionStatistics: Codable, Sendable, Equatable {
    struct Row: Codable, Sendable, Equatable {
        var unitId: String
        var unitName: String
        /// Inspections of the unit (assigned in the period / campaign).
        var inspections: Int
        var submitted: Int
        /// The mean score of its submitted inspections, to one decimal.
        var averageScore: Double?
        /// Findings it must rectify (raised in the period / campaign).
        var findings: Int
        var closedFindings: Int
        /// Rectified by the first round's due day (`Finding.rectifiedOnTime`).
        var rectifiedOnTime: Int
        /// Not closed now.
        var openFindings: Int
        /// Warnings it answers for raised in the period, by the highest level
        /// each reached by the period's end (every level present).
        var warningsRaised: [String: Int]
        /// Warnings it answers for open at the period's end (now, without
        /// `to`), by the level each had then (every level present).
        var openWarnings: [String: Int]
    }

    /// The period asked for (absent: all time).
    var from: LocalDate?
    var to: LocalDate?
    var campaignId: UUID?
    var rows: [Row]

    static func compute(
        units: [(id: String, name: String)], inspections: [Inspection], findings: [Finding],
        warningsRaised: WarningPeriodCounts.Counts, openWarnings: WarningPeriodCounts.Counts,
        from: LocalDate?, to: LocalDate?, campaignId: UUID?
    ) -> InspectionStatistics {
        let rows = units.map { unit in
            let own = inspections.filter { $0.unitId == unit.id }
            let scores = own.compactMap(\.score)
            let owed = findings.filter { $0.unitId == unit.id }
            return Row(
                unitId: unit.id, unitName: unit.name, inspections: own.count, submitted: own.filter { $0.status == .submitted }.count,
                averageScore: scores.isEmpty ? nil : (scores.reduce(0, +) / Double(scores.count) * 10).rounded() / 10,
                findings: owed.count, closedFindings: owed.filter { $0.status == .closed }.count,
                rectifiedOnTime: owed.filter { $0.rectifiedOnTime == true }.count,
                openFindings: owed.filter { $0.status != .closed }.count,
                warningsRaised: everyLevel(warningsRaised[unit.id]), openWarnings: everyLevel(openWarnings[unit.id]))
        }
        return InspectionStatistics(from: from, to: to, campaignId: campaignId, rows: rows)
    }

    /// Every level present, 0 where none.
    private static func everyLevel(_ counts: [String: Int]?) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: WarningLevel.allCases.map { ($0.rawValue, counts?[$0.rawValue] ?? 0) })
    }
}

/// The statistics as CSV Excel opens as it is (`ExcelCSV`), with Chinese headings.
enum InspectionStatisticsCSV {
    static let headings = [
        "单位", "单位代码", "受检次数", "已完成检查数", "平均得分", "发现问题数", "已整改销号数", "按期整改数", "未销号问题数",
    ] + WarningLevel.allCases.map { "期内新增\($0.chineseName)预警" } + WarningLevel.allCases.map { "期末在办\($0.chineseName)预警" }

    static func render(_ statistics: InspectionStatistics) -> String {
        ExcelCSV.document(headings: headings, rows: statistics.rows.map { row in
            var values = [
                row.unitName, row.unitId, "\(row.inspections)", "\(row.submitted)",
                row.averageScore.map { String(format: "%.1f", $0) } ?? "", "\(row.findings)", "\(row.closedFindings)",
                "\(row.rectifiedOnTime)", "\(row.openFindings)",
            ]
            values += WarningLevel.allCases.map { "\(row.warningsRaised[$0.rawValue] ?? 0)" }
            values += WarningLevel.allCases.map { "\(row.openWarnings[$0.rawValue] ?? 0)" }
            return values
        })
    }
}
