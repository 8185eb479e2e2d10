import Domain
import Foundation
import ServiceKit
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
            // Issued at 10:00, signed for at 13:00: two working hours (lunch does not count).
            received: 1, supervision: 1, coordination: 0, signedFor: 1, averageWorkingHoursToReceipt: 2, reportsDue: 1,
            reportsOnTime: 1, reportsLate: 0, repliesOverdue: 0, escalated: 0))
        #expect(row.meetings == .zero)

        let csv = UnitStatisticsCSV.render([row], unitNames: ["education-bureau": "县教育局"])
        #expect(Array(csv.utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let lines = csv.dropFirst().components(separatedBy: "\r\n")
        #expect(lines[0].hasPrefix("单位,单位代码,起始日期,截止日期,交办任务数,按期完成数,逾期数,平均完成天数,收到函件数"))
        #expect(lines[0].hasSuffix("平均签收用时（工作小时）,应报办理情况数,按期报送数,逾期报送数,当前逾期未报数,再次督办数,"
            + "应参会次数,出席次数,委托出席次数,请假缺席次数,未回复次数,未请假缺席次数"))
        #expect(lines[1] == "县教育局,education-bureau,2026-09-01,2026-10-31,2,1,1,4.0,1,1,0,1,2.0,1,1,0,0,0,0,0,0,0,0,0")
        #expect(ExcelCSV.field("=SUM(A1)") == "'=SUM(A1)")
        #expect(ExcelCSV.field("甲,乙\"丙\"") == "\"甲,乙\"\"丙\"\"\"")
    }

    /// On time is by the due working day's close (17:30), as the overdue mark — not midnight.
    @Test func onTimeEndsWhenTheOfficeClosesOnTheDueDay() throws {
        let due = try LocalDate(parsing: "2026-09-10")
        func task(completed: String) -> TaskFact {
            TaskFact(leadUnitId: "education-bureau", assignedAt: MeetingSample.instant("2026-09-01T09:00:00"), due: due,
                     completedAt: MeetingSample.instant(completed))
        }
        let row = UnitStatistics.compute(
            unitId: "education-bureau", from: try LocalDate(parsing: "2026-09-01"), to: try LocalDate(parsing: "2026-09-30"),
            letters: [], tasks: [task(completed: "2026-09-10T17:29:59"), task(completed: "2026-09-10T17:30:00"),
                                 task(completed: "2026-09-10T20:00:00")],
            at: MeetingSample.instant("2026-10-01T09:00:00"))
        #expect(row.tasks.doneOnTime == 1 && row.tasks.overdue == 2)
        #expect(DueDay.end(due) == TaskDeadlines(calendar: .china, officeHours: .county, reminderDays: []).overdueAt(due))

        // A letter's report that comes in the evening of its due day is late too.
        var letter = LetterTransitionTests.draft(.supervision, units: ["education-bureau"])
        try letter.issue(
            by: "office-1", at: MeetingSample.instant("2026-09-30T10:00:00"),
            number: LetterNumberFormat.standard.number(.supervision, year: 2026, sequence: 1), calendar: .china)
        let replyDue = try #require(letter.addressee("education-bureau")?.replyDue)
        try letter.report("education-bureau", LetterReport(
            id: UUID(), text: "已办", attachments: [], by: "l", at: DueDay.end(replyDue).addingTimeInterval(3600), onTime: true))
        #expect(letter.addressee("education-bureau")?.reports.last?.onTime == false)
    }

    /// Each held sitting that expected the unit counts once, under what happened there.
    @Test func meetingAttendanceIsCountedPerHeldSitting() throws {
        let time = MeetingSample.instant("2026-11-02T09:00:00")
        func answer(_ kind: AnswerKind) -> AttendanceAnswer {
            AttendanceAnswer(kind: kind, attendeeName: kind == .deputy ? "李副局长" : nil, attendeeTitle: nil,
                             reason: kind == .absent ? "参加市级会议" : nil, by: "liaison", at: time)
        }
        func held(_ day: Int, _ answerKind: AnswerKind?, present: Bool?, status: MeetingStatus = .held) -> Meeting {
            var meeting = MeetingSample.meeting(
                units: ["education-bureau", "finance-bureau"], startsAt: "2026-11-\(day)T09:00:00", endsAt: "2026-11-\(day)T11:00:00")
            meeting.id = UUID()
            meeting.status = status
            meeting.attendance[0].answer = answerKind.map(answer)
            meeting.attendance[0].recorded = present.map { RecordedAttendance(present: $0, attendeeName: nil, note: nil, by: "office", at: time) }
            return meeting
        }
        let meetings = [
            held(10, .attends, present: true),
            held(11, .deputy, present: true),
            held(12, .absent, present: false),
            held(13, nil, present: false),
            held(16, nil, present: nil),
            held(17, .attends, present: false),
            held(18, .attends, present: true, status: .scheduled),   // not held yet: not counted
            held(19, .attends, present: nil, status: .cancelled),
        ]
        let row = UnitStatistics.compute(
            unitId: "education-bureau", from: try LocalDate(parsing: "2026-11-01"), to: try LocalDate(parsing: "2026-11-30"),
            letters: [], tasks: [], meetings: meetings + [held(30, .attends, present: true)].map {
                var later = $0
                later.startsAt = MeetingSample.instant("2026-12-01T09:00:00")   // after the period
                return later
            }, at: MeetingSample.instant("2026-12-02T09:00:00"))
        #expect(row.meetings == MeetingFigures(
            available: true, expected: 6, attended: 1, deputised: 1, absentWithReason: 1, noAnswer: 2, absentUnannounced: 1))
        let other = UnitStatistics.compute(
            unitId: "market-regulation-bureau", from: try LocalDate(parsing: "2026-11-01"), to: try LocalDate(parsing: "2026-11-30"),
            letters: [], tasks: [], meetings: meetings, at: MeetingSample.instant("2026-12-02T09:00:00"))
        #expect(other.meetings == .zero)
        let csv = UnitStatisticsCSV.render([row])
        #expect(csv.components(separatedBy: "\r\n")[1].hasSuffix(",6,1,1,1,2,1"))
    }
}
