import Domain
import Foundation
import Testing

@testable import Scheduling

/// 每半年一次全体会议、每两个月一次联络员例会: when each is due and when the office is alerted.
@Suite struct CadenceWatchTests {
    let watch = CadenceWatch(calendar: .china, alertWorkingDays: 5)

    func day(_ text: String) -> LocalDate { LocalDate(text)! }

    @Test func halfAYearAfterTheLastPlenaryIsTheDueDayAndTheAlertComesFiveWorkingDaysBefore() throws {
        let status = try watch.status(
            of: .plenary, lastHeldOn: day("2026-04-20"), since: day("2022-10-25"), nextScheduledOn: nil, today: day("2026-10-12"))
        #expect(status.dueBy == day("2026-10-20"))
        // 10-20 is a Tuesday: five working days before is 10-13 (Tue).
        #expect(status.alertOn == day("2026-10-13"))
        #expect(status.state == .onTrack)
    }

    @Test func theAlertWindowSaysWhetherASittingIsScheduledInTime() throws {
        let dueSoon = try watch.status(
            of: .liaison, lastHeldOn: day("2026-09-15"), since: day("2022-10-25"), nextScheduledOn: nil, today: day("2026-11-10"))
        #expect(dueSoon.dueBy == day("2026-11-15"))
        #expect(dueSoon.state == .dueSoon)
        let inHand = try watch.status(
            of: .liaison, lastHeldOn: day("2026-09-15"), since: day("2022-10-25"), nextScheduledOn: day("2026-11-13"),
            today: day("2026-11-10"))
        #expect(inHand.state == .scheduledInTime)
        let tooLate = try watch.status(
            of: .liaison, lastHeldOn: day("2026-09-15"), since: day("2022-10-25"), nextScheduledOn: day("2026-11-20"),
            today: day("2026-11-10"))
        #expect(tooLate.state == .dueSoon)
        #expect(tooLate.nextScheduledOn == nil)
    }

    @Test func aCadencePassedWithNothingHeldIsMissed() throws {
        let status = try watch.status(
            of: .liaison, lastHeldOn: nil, since: day("2026-08-31"), nextScheduledOn: nil, today: day("2026-11-02"))
        // 08-31 + 2 months is clamped to 10-31.
        #expect(status.dueBy == day("2026-10-31"))
        #expect(status.state == .missed)
    }

    @Test func theAlertSkipsTheNationalDayHolidays() throws {
        // Due 2026-10-09 (Fri): back over 10-08, the National Day days off 10-01…10-07,
        // 09-30, 09-29, 09-28, then 中秋 (09-25…09-27) to 09-24.
        let status = try watch.status(
            of: .plenary, lastHeldOn: day("2026-04-09"), since: day("2022-10-25"), nextScheduledOn: nil, today: day("2026-09-01"))
        #expect(status.dueBy == day("2026-10-09"))
        #expect(status.alertOn == day("2026-09-24"))
    }

    @Test func aCadenceMissedBeforeTheHolidayDataBeginsIsReportedMissed() throws {
        // Counted from the notice (2022-10-25), years before the calendar's first year.
        let status = try watch.status(
            of: .plenary, lastHeldOn: nil, since: day("2022-10-25"), nextScheduledOn: nil, today: day("2026-11-30"))
        #expect(status.dueBy == day("2023-04-25"))
        #expect(status.alertOn == status.dueBy)
        #expect(status.state == .missed)
    }

    @Test func monthsAreAddedByTheCalendar() {
        #expect(day("2026-08-31").adding(months: 6) == day("2027-02-28"))
        #expect(day("2027-08-31").adding(months: 6) == day("2028-02-29"))
        #expect(day("2026-11-15").adding(months: 2) == day("2027-01-15"))
    }
}
