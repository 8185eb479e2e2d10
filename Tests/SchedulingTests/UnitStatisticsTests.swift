import Domain
import Foundation
import Testing

@testable import Scheduling

struct UnitStatisticsTests {
    @Test func lettersAndTasksAreCountedPerUnitAndPeriod() throws {
        var letter = LetterTransitionTests.draft(.supervision, units: ["education-bureau"])
        try letter.issue(
            by: "office-1", at: LetterTransitionTests.china("2026-09-30T02:00:00Z"),
            number: LetterNumberFormat.standard.number(.supervision, year: 2026, sequence: 1), calendar: .china)
        try letter.receive("education-bureau", by: "l", at: LetterTransitionTests.china("2026-09-30T05:00:00Z"), via: .unit)
        try letter.report("education-bureau", LetterReport(
            id: UUID(), text: "已办", attachments: [], by: "l", at: LetterTransitionTests.china("2026-10-09T02:00:00Z"), onTime: true))
        let tasks = [
            TaskFact(leadUnitId: "education-bureau", assignedAt: LetterTransitionTests.china("2026-09-01T02:00:00Z"),
                     due: try LocalDate(parsing: "2026-09-10"), completedAt: LetterTransitionTests.china("2026-09-05T02:00:00Z")),
            TaskFact(leadUnitId: "education-bureau", assignedAt: LetterTransitionTests.china("2026-09-02T02:00:00Z"),
                     due: try LocalDate(parsing: "2026-09-10"), completedAt: nil),
            TaskFact(leadUnitId: "finance-bureau", assignedAt: LetterTransitionTests.china("2026-09-02T02:00:00Z"),
                     due: try LocalDate(parsing: "2026-09-10"), completedAt: nil),
        ]
        let row = UnitStatistics.compute(
            unitId: "education-bureau", from: try LocalDate(parsing: "2026-09-01"), to: try LocalDate(parsing: "2026-10-31"),
            letters: [letter], tasks: tasks, at: LetterTransitionTests.china("2026-11-01T00:00:00Z"))
        #expect(row.tasks == TaskFigures(assigned: 2, doneOnTime: 1, overdue: 1, averageDaysToComplete: 4))
        #expect(row.letters == LetterFigures(
            received: 1, supervision: 1, coordination: 0, signedFor: 1, averageHoursToReceipt: 3, reportsDue: 1,
            reportsOnTime: 1, reportsLate: 0, repliesOverdue: 0, escalated: 0))
        #expect(row.meetings == MeetingFigures(available: false))

        let csv = UnitStatisticsCSV.render([row], unitNames: ["education-bureau": "县教育局"])
        #expect(Array(csv.utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let lines = csv.dropFirst().components(separatedBy: "\r\n")
        #expect(lines[0].hasPrefix("单位,单位代码,起始日期,截止日期,交办任务数,按期完成数,逾期数,平均完成天数,收到函件数"))
        #expect(lines[1] == "县教育局,education-bureau,2026-09-01,2026-10-31,2,1,1,4.0,1,1,0,1,3.0,1,1,0,0,0,")
        #expect(UnitStatisticsCSV.field("=SUM(A1)") == "'=SUM(A1)")
        #expect(UnitStatisticsCSV.field("甲,乙\"丙\"") == "\"甲,乙\"\"丙\"\"\"")
    }
}
