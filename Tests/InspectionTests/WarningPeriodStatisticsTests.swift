import Domain
import Foundation
import Postgres
import ServiceKit
import Testing

@testable import Inspection

/// "Warnings in a period" (docs/statistics.md), against PostgreSQL: the
/// store reads the warnings a period needs, and each is counted raised in the
/// period at the highest level it reached by the period's end, and open at
/// the end at the level it had then — so a later rise or closing leaves a
/// past period's figures as they were.
struct WarningPeriodStatisticsTests {
    static let china = TimeZone(identifier: "Asia/Shanghai")!

    static func at(_ month: Int, _ day: Int, _ hour: Int = 10) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = china
        return calendar.date(from: DateComponents(year: 2026, month: month, day: day, hour: hour))!
    }

    /// A warning for `units` raised at `raised` (blue, then each change in `levels`), closed at `closed`.
    static func warning(
        _ key: String, units: [String], raised: Date, levels: [(WarningLevel, Date)] = [], closed: Date? = nil
    ) throws -> Warning {
        let rules = try RiskRules.bundled()
        var warning = Warning.raise(
            id: UUID(), subject: Subject(kind: .topic, key: "topic:\(key)", name: key),
            explanation: RiskScore.evaluate([], at: raised, receivedAfter: nil, rules: rules),
            units: units.map { ResponsibleUnit(unitId: $0, name: $0, role: .lead, basis: ["supervising"]) },
            rules: rules, calendar: .china, at: raised)
        for (level, time) in levels { try warning.changeLevel(to: level, reason: "研判", by: "office-1", rules: rules, calendar: .china, at: time) }
        if let closed { try warning.close(by: "office-1", at: closed, reason: "已处置") }
        return warning
    }

    @Test func warningsAreCountedRaisedInThePeriodAndOpenAtItsEnd() async throws {
        guard InspectionDatabase.isConfigured else { return }
        try await InspectionDatabase.with { db in
            let edu = "education-bureau", market = "market-regulation-bureau"
            let warnings = [
                // Before November, still open: open at the end, blue.
                try Self.warning("a", units: [edu], raised: Self.at(10, 20)),
                // Raised in November, orange by the 10th, closed on the 20th: raised orange, not open at the end.
                try Self.warning("b", units: [edu], raised: Self.at(11, 5), levels: [(.orange, Self.at(11, 10))], closed: Self.at(11, 20)),
                // Raised yellow on the 25th, red only in December: raised yellow and open yellow at November's end.
                try Self.warning("c", units: [edu, market], raised: Self.at(11, 25), levels: [(.yellow, Self.at(11, 25)), (.red, Self.at(12, 3))]),
                // Before November, closed in it: in neither figure.
                try Self.warning("d", units: [edu], raised: Self.at(10, 1), levels: [(.orange, Self.at(10, 1))], closed: Self.at(11, 10)),
                // After November.
                try Self.warning("e", units: [edu], raised: Self.at(12, 2)),
                // Before November, closed after it: open red at November's end.
                try Self.warning("f", units: [edu], raised: Self.at(10, 10), levels: [(.red, Self.at(10, 11))], closed: Self.at(12, 5)),
            ]
            try await db.pool.transaction { connection in try await WarningStore.insert(warnings, on: connection) }

            let november = InspectionStatisticsStore.Period(
                from: try LocalDate(year: 2026, month: 11, day: 1).startOfDay(),
                before: try LocalDate(year: 2026, month: 12, day: 1).startOfDay(), campaignId: UUID())
            let read = try await db.pool.transaction { try await InspectionStatisticsStore.warnings(november, on: $0) }
            // Only those either figure needs (a, b, c, f), whatever the campaign.
            #expect(read.count == 4)
            #expect(WarningPeriodCounts.raised(read, from: november.from, before: november.before)
                == [edu: ["orange": 1, "yellow": 1], market: ["yellow": 1]])
            #expect(WarningPeriodCounts.open(read, at: november.before) == [edu: ["blue": 1, "yellow": 1, "red": 1], market: ["yellow": 1]])

            // All time, now: every warning by the highest level it reached; open now at its level now.
            let always = InspectionStatisticsStore.Period(from: nil, before: nil, campaignId: nil)
            let all = try await db.pool.transaction { try await InspectionStatisticsStore.warnings(always, on: $0) }
            #expect(all.count == 6)
            #expect(WarningPeriodCounts.raised(all, from: nil, before: nil) == [edu: ["blue": 2, "orange": 2, "red": 2], market: ["red": 1]])
            #expect(WarningPeriodCounts.open(all, at: nil) == [edu: ["blue": 2, "red": 1], market: ["red": 1]])

            // The row shows every level, and the CSV both figures in the headings' order.
            let statistics = InspectionStatistics.compute(
                units: [(id: edu, name: "县教育局")], inspections: [], findings: [],
                warningsRaised: WarningPeriodCounts.raised(read, from: november.from, before: november.before),
                openWarnings: WarningPeriodCounts.open(read, at: november.before),
                from: try LocalDate(year: 2026, month: 11, day: 1), to: try LocalDate(year: 2026, month: 11, day: 30), campaignId: nil)
            #expect(statistics.rows.first?.warningsRaised == ["blue": 0, "yellow": 1, "orange": 1, "red": 0])
            #expect(statistics.rows.first?.openWarnings == ["blue": 1, "yellow": 1, "orange": 0, "red": 1])
            let lines = InspectionStatisticsCSV.render(statistics).dropFirst().components(separatedBy: "\r\n")
            #expect(lines.first?.hasSuffix("期内新增蓝色预警,期内新增黄色预警,期内新增橙色预警,期内新增红色预警,期末在办蓝色预警,期末在办黄色预警,期末在办橙色预警,期末在办红色预警") == true)
            #expect(lines.contains("县教育局,education-bureau,0,0,,0,0,0,0,0,1,1,0,1,1,0,1"))
        }
    }
}
