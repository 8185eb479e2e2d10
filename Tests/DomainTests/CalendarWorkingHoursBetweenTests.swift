import Foundation
import Testing
@testable import Domain

/// Working hours between two instants (time to 签收 in the statistics): the
/// inverse of `addingWorkingHours`, on the same cases.
@Suite struct CalendarWorkingHoursBetweenTests {
    let calendar = WorkingDayCalendar.china

    @Test(arguments: [
        (2.0, "2025-09-30T09:00", "2025-09-30T11:00"),
        (4.0, "2025-09-30T09:00", "2025-09-30T15:30"),   // lunch does not count
        (1.0, "2025-09-30T12:45", "2025-09-30T15:30"),   // counted from when the office reopens
        (1.0, "2025-09-30T07:00", "2025-09-30T09:30"),
        (2.0, "2025-09-30T16:30", "2025-10-09T09:30"),   // over 国庆
        (1.0, "2025-10-10T17:00", "2025-10-11T09:00"),   // 10-11 is a make-up Saturday
        (13.0, "2025-09-29T08:30", "2025-09-30T17:30"),  // two full days of 6.5 hours
        (0.0, "2025-09-30T12:00", "2025-09-30T14:30"),   // lunch only
        (0.0, "2025-10-01T10:00", "2025-10-08T20:00"),   // a holiday week
        (1.0, "2025-12-31T17:00", "2026-01-04T09:00"),   // 元旦 2026, 01-04 Sunday worked
        (0.5, "2025-09-30T17:00", "2025-09-30T23:00"),
        (0.0, "2025-09-30T11:00", "2025-09-30T10:00"),   // end before start
    ])
    func countsWorkingHours(_ hours: Double, _ start: String, _ end: String) throws {
        let answer = try calendar.workingHours(from: time(start).instant(), to: time(end).instant())
        #expect(answer.value == hours)
        #expect(!answer.isProvisional)
    }

    @Test func isTheInverseOfAddingWorkingHours() throws {
        let start = time("2025-09-26T16:10").instant().addingTimeInterval(7)
        for hours in [1, 5, 9, 20] {
            let end = try calendar.addingWorkingHours(hours, to: start).value
            #expect(abs(try calendar.workingHours(from: start, to: end).value - Double(hours)) < 1e-6)
        }
    }

    @Test func provisionalAndUncoveredYears() throws {
        let answer = try calendar.workingHours(from: time("2026-12-31T17:00").instant(), to: time("2027-01-04T09:00").instant())
        #expect(answer.value == 1)
        #expect(answer.provisionalYears == [2027])
        #expect(throws: CalendarError.yearNotCovered(2028, covered: 2025...2027)) {
            try calendar.workingHours(from: time("2027-12-31T17:00").instant(), to: time("2028-01-03T09:00").instant())
        }
    }
}
