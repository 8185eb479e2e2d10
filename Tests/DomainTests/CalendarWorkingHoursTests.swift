import Foundation
import Testing
@testable import Domain

/// Working hours: 08:30–12:00 and 14:30–17:30 China Standard Time on working days.
@Suite struct CalendarWorkingHoursTests {
    let calendar = WorkingDayCalendar.china

    @Test(arguments: [
        (2, "2025-09-30T09:00", "2025-09-30T11:00"),
        (3, "2025-09-30T09:00", "2025-09-30T12:00"),   // runs out at the period's end: 12:00, not 14:30
        (4, "2025-09-30T09:00", "2025-09-30T15:30"),   // lunch does not count
        (1, "2025-09-30T12:45", "2025-09-30T15:30"),   // starts when the office reopens
        (1, "2025-09-30T07:00", "2025-09-30T09:30"),
        (2, "2025-09-30T16:30", "2025-10-09T09:30"),   // over 国庆
        (1, "2025-10-10T17:00", "2025-10-11T09:00"),   // 10-11 is a make-up Saturday
        (13, "2025-09-29T08:30", "2025-09-30T17:30"),  // two full days of 6.5 hours
        (0, "2025-09-30T10:00", "2025-09-30T10:00"),   // during office hours: the instant itself
        (0, "2025-09-30T12:00", "2025-09-30T14:30"),   // else the next opening
        (0, "2025-10-01T10:00", "2025-10-09T08:30"),
        (1, "2025-12-31T17:00", "2026-01-04T09:00"),   // 元旦 2026, 01-04 Sunday worked
    ])
    func addsWorkingHours(_ hours: Int, _ start: String, _ expected: String) throws {
        let answer = try calendar.addingWorkingHours(hours, to: time(start).instant())
        #expect(LocalDateTime(answer.value) == time(expected))
        #expect(!answer.isProvisional)
    }

    @Test func keepsSecondsAndWorksFromAnyServerZone() throws {
        let start = time("2025-09-30T09:00").instant().addingTimeInterval(12.5)
        let answer = try calendar.addingWorkingHours(1, to: start)
        #expect(answer.value == time("2025-09-30T10:00").instant().addingTimeInterval(12.5))
    }

    @Test func provisionalAndUncoveredYears() throws {
        let answer = try calendar.addingWorkingHours(1, to: time("2026-12-31T17:00").instant())
        #expect(LocalDateTime(answer.value) == time("2027-01-04T09:00"))
        #expect(answer.provisionalYears == [2027])
        #expect(throws: CalendarError.yearNotCovered(2028, covered: 2025...2027)) {
            try calendar.addingWorkingHours(1, to: time("2027-12-31T17:00").instant())
        }
    }

    @Test func customOfficeHours() throws {
        let nineToFive = OfficeHours(periods: [.init(9, 0, to: 17, 0)])
        let answer = try calendar.addingWorkingHours(9, to: time("2025-09-30T09:00").instant(), officeHours: nineToFive)
        #expect(LocalDateTime(answer.value) == time("2025-10-09T10:00"))
    }
}
