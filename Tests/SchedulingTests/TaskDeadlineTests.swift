import Domain
import Foundation
import Testing

@testable import Scheduling

struct TaskDeadlineTests {
    let deadlines = Fixture.deadlines

    @Test func workingDaysCountFromTodayAndADateOnARestDayMovesToTheNextWorkingDay() throws {
        let today = Fixture.date("2026-12-01")  // a Tuesday
        #expect(try DueSpec.workingDays(5).dueDate(today: today, calendar: .china) == Fixture.date("2026-12-08"))
        // Saturday 2026-12-05 → Monday 2026-12-07.
        #expect(try DueSpec.date(Fixture.date("2026-12-05")).dueDate(today: today, calendar: .china) == Fixture.date("2026-12-07"))
        // Across the 2026 National Day holiday: 2026-09-30 + 1 working day is after the break.
        let holiday = try DueSpec.workingDays(1).dueDate(today: Fixture.date("2026-09-30"), calendar: .china)
        #expect(try WorkingDayCalendar.china.isWorkingDay(holiday).value)
        #expect(holiday > Fixture.date("2026-10-07"))
    }

    @Test func remindersAtTheOpeningAndOverdueAtTheCloseOfTheDueWorkingDay() throws {
        let timers = try deadlines.timers(due: Fixture.date("2026-12-08"), now: Fixture.china("2026-12-01 10:00"))
        #expect(timers == [
            PlannedTimer(kind: .reminder, workingDaysBefore: 3, fireAt: Fixture.china("2026-12-03 08:30")),
            PlannedTimer(kind: .reminder, workingDaysBefore: 1, fireAt: Fixture.china("2026-12-07 08:30")),
            PlannedTimer(kind: .overdue, workingDaysBefore: 0, fireAt: Fixture.china("2026-12-08 17:30")),
        ])
    }

    @Test func aReminderWhoseMomentHasPassedIsLeftOut() throws {
        // Given on Friday for Tuesday: three working days before is Thursday, already past.
        let timers = try deadlines.timers(due: Fixture.date("2026-12-08"), now: Fixture.china("2026-12-04 10:00"))
        #expect(timers.map(\.workingDaysBefore) == [1, 0])
        let sent = try deadlines.timers(due: Fixture.date("2026-12-08"), now: Fixture.china("2026-12-01 10:00"), sent: [3])
        #expect(sent.map(\.workingDaysBefore) == [1, 0])
    }

    @Test func aDraftWithTheLeadAmongTheAssistingUnitsIsRefused() {
        let draft = Fixture.draft(lead: "finance-bureau", assisting: ["education-bureau", "finance-bureau"])
        #expect(draft.problems.map(\.field) == ["assistingUnitIds"])
        #expect(Fixture.draft("  ").problems.map(\.field) == ["title"])
    }
}
