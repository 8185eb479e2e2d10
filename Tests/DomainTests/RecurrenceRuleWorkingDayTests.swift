import Foundation
import Testing
@testable import Domain

/// Occurrences moved off non-working days with the working-day calendar.
@Suite struct RecurrenceRuleWorkingDayTests {
    let move = Recurrence.NonWorkingDayHandling.moveToNextWorkingDay(.china)

    func recurrence(_ start: String, _ rule: String, except: [String] = []) throws -> Recurrence {
        Recurrence(start: time(start), rule: try RecurrenceRule(parsing: rule), exceptionDates: except.map(time))
    }

    @Test func liaisonMeetingsMoveOffHolidaysAndWeekends() throws {
        let liaison = try recurrence("2025-08-01T09:30", "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=1")
        let occurrences = try liaison.occurrences(through: date("2026-12-31"), nonWorkingDays: move)
        #expect(occurrences.map(\.start.date.description) == [
            "2025-08-01",
            "2025-10-09",   // 10-01 国庆 → 10-09
            "2025-12-01",
            "2026-02-02",   // Sunday → Monday
            "2026-04-01",
            "2026-06-01",
            "2026-08-03",   // Saturday → Monday
            "2026-10-08",   // 10-01..10-07 国庆 → 10-08
            "2026-12-01",
        ])
        #expect(occurrences.map(\.isMoved) == [false, true, false, true, false, false, true, true, false])
        #expect(occurrences[1].scheduled == time("2025-10-01T09:30"))
        #expect(occurrences[1].start == time("2025-10-09T09:30"))   // same time of day
        #expect(occurrences.allSatisfy { !$0.isProvisional })
    }

    @Test func keepLeavesTheRuleDates() throws {
        let liaison = try recurrence("2025-08-01T09:30", "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=1")
        let kept = try liaison.occurrences(limit: 3)
        #expect(kept.map(\.start.date.description) == ["2025-08-01", "2025-10-01", "2025-12-01"])
        #expect(kept.allSatisfy { !$0.isMoved && !$0.isProvisional })
        // .keep needs no calendar, so any year works.
        #expect(try liaison.occurrences(through: date("2040-01-01")).count == 87)
    }

    /// COUNT counts the rule's occurrences, then they move; one moved onto the
    /// day of the one before it is merged, never doubled, never earlier.
    @Test func countIsAppliedBeforeMovingAndCollisionsMerge() throws {
        // Rule: Mon 09-29, Wed 10-01, Mon 10-06. Both holidays move to Thu 10-09.
        let weekly = try recurrence("2025-09-29T09:00", "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=3")
        let moved = try weekly.occurrences(nonWorkingDays: move)
        #expect(moved.map(\.start.date.description) == ["2025-09-29", "2025-10-09"])
        #expect(moved.map(\.scheduled.date.description) == ["2025-09-29", "2025-10-01"])

        // Longer: strictly increasing whatever the holidays.
        let busy = try recurrence("2025-01-01T09:00", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU")
        let all = try busy.occurrences(through: date("2026-12-31"), nonWorkingDays: move)
        #expect(zip(all, all.dropFirst()).allSatisfy { $0.start < $1.start })
        #expect(try all.allSatisfy { try WorkingDayCalendar.china.isWorkingDay($0.start.date).value })
        #expect(all.count == 248 + 248)
    }

    @Test func exdateMatchesTheRuleDateNotTheMovedOne() throws {
        let liaison = try recurrence("2025-08-01T09:30", "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=1;COUNT=3",
                                     except: ["2025-10-01T09:30"])
        #expect(try liaison.occurrences(nonWorkingDays: move).map(\.start.date.description) == ["2025-08-01", "2025-12-01"])
        let wrong = try recurrence("2025-08-01T09:30", "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=1;COUNT=3",
                                   except: ["2025-10-09T09:30"])
        #expect(try wrong.occurrences(nonWorkingDays: move).map(\.start.date.description)
            == ["2025-08-01", "2025-10-09", "2025-12-01"])
    }

    @Test func windowsApplyToTheMovedDates() throws {
        let liaison = try recurrence("2025-08-01T09:30", "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=1")
        // 10-01 moves to 10-09, inside a window that starts after 10-01.
        #expect(try liaison.occurrences(from: date("2025-10-05"), through: date("2025-12-31"), nonWorkingDays: move)
            .map(\.start.date.description) == ["2025-10-09", "2025-12-01"])
        // …and out of a window that ends before 10-09.
        #expect(try liaison.occurrences(from: date("2025-09-01"), through: date("2025-10-05"), nonWorkingDays: move)
            .isEmpty)
        #expect(try liaison.occurrences(from: date("2026-01-01"), limit: 2, nonWorkingDays: move)
            .map(\.start.date.description) == ["2026-02-02", "2026-04-01"])
        #expect(try liaison.occurrences(limit: 0).isEmpty)
    }

    @Test func occurrencesInTheProvisionalYearAreFlagged() throws {
        let plenary = try recurrence("2026-04-01T09:30", "FREQ=MONTHLY;INTERVAL=6;COUNT=4")
        let occurrences = try plenary.occurrences(nonWorkingDays: move)
        #expect(occurrences.map(\.start.date.description) == ["2026-04-01", "2026-10-08", "2027-04-01", "2027-10-04"])
        #expect(occurrences.map(\.isProvisional) == [false, false, true, true])
    }

    @Test func movingIntoAnUncoveredYearThrows() throws {
        let plenary = try recurrence("2026-04-01T09:30", "FREQ=MONTHLY;INTERVAL=6")
        #expect(throws: CalendarError.yearNotCovered(2028, covered: 2025...2027)) {
            try plenary.occurrences(through: date("2028-12-31"), nonWorkingDays: move)
        }
    }
}
