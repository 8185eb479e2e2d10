import Foundation
import Testing
@testable import Domain

/// Deadlines in working days: `addingWorkingDays`, `workingDays(from:to:)`,
/// `nextWorkingDay` and `previousWorkingDay`.
@Suite struct CalendarArithmeticTests {
    let calendar = WorkingDayCalendar.china

    @Test(arguments: [
        // 国庆 2025: 10-01..10-08 off, 09-28 (Sun) and 10-11 (Sat) worked.
        (1, "2025-09-30", "2025-10-09"),
        (3, "2025-09-29", "2025-10-10"),
        (5, "2025-09-26", "2025-10-10"),   // 09-28 make-up counts
        (2, "2025-10-09", "2025-10-11"),   // 10-11 make-up counts
        (15, "2025-09-20", "2025-10-16"),
        // 春节 2025: 01-28..02-04 off, 01-26 (Sun) and 02-08 (Sat) worked.
        (1, "2025-01-27", "2025-02-05"),
        (1, "2025-01-24", "2025-01-26"),
        // 春节 2026: 02-15..02-23 off, 02-14 (Sat) and 02-28 (Sat) worked.
        (1, "2026-02-13", "2026-02-14"),
        (2, "2026-02-13", "2026-02-24"),
        (10, "2026-02-10", "2026-03-02"),
        // n = 0: the date itself if working, else the next working day.
        (0, "2025-09-30", "2025-09-30"),
        (0, "2025-10-01", "2025-10-09"),
        (0, "2025-09-28", "2025-09-28"),
        (0, "2025-03-08", "2025-03-10"),
        // n < 0: backwards, not counting the date itself.
        (-1, "2025-10-09", "2025-09-30"),
        (-3, "2025-10-09", "2025-09-28"),
        (-1, "2025-10-05", "2025-09-30"),
        (-1, "2025-03-10", "2025-03-07"),
        // Year boundaries 2025 → 2026 (元旦 01-01..01-03 off, 01-04 Sun worked).
        (1, "2025-12-31", "2026-01-04"),
        (2, "2025-12-31", "2026-01-05"),
        (20, "2025-12-20", "2026-01-19"),
        (-1, "2026-01-04", "2025-12-31"),
    ])
    func addsWorkingDaysInOfficialYears(_ n: Int, _ start: String, _ expected: String) throws {
        let answer = try calendar.addingWorkingDays(n, to: date(start))
        #expect(answer.value == date(expected))
        #expect(!answer.isProvisional)
    }

    @Test func crossingIntoTheProvisionalYearIsFlagged() throws {
        // 2027-01-01 (Fri) is 元旦 in the provisional year.
        let forward = try calendar.addingWorkingDays(1, to: date("2026-12-31"))
        #expect(forward == CalendarAnswer(value: date("2027-01-04"), provisionalYears: [2027]))
        let backward = try calendar.addingWorkingDays(-1, to: date("2027-01-04"))
        #expect(backward == CalendarAnswer(value: date("2026-12-31"), provisionalYears: [2027]))
        // Staying inside 2026 is not provisional.
        #expect(try !calendar.addingWorkingDays(-1, to: date("2026-12-31")).isProvisional)
        // 春节 2027 (provisional): 02-05..02-08 off.
        #expect(try calendar.addingWorkingDays(1, to: date("2027-02-04")).value == date("2027-02-09"))
    }

    @Test func leavingTheCoveredYearsThrows() {
        #expect(throws: CalendarError.yearNotCovered(2028, covered: 2025...2027)) {
            try calendar.addingWorkingDays(1, to: date("2027-12-31"))
        }
        #expect(throws: CalendarError.yearNotCovered(2024, covered: 2025...2027)) {
            try calendar.addingWorkingDays(-1, to: date("2025-01-02"))
        }
        #expect(throws: CalendarError.yearNotCovered(2024, covered: 2025...2027)) {
            try calendar.addingWorkingDays(1, to: date("2024-12-31"))
        }
        #expect(throws: CalendarError.yearNotCovered(2028, covered: 2025...2027)) {
            try calendar.addingWorkingDays(1_000, to: date("2025-01-02"))
        }
        #expect(throws: CalendarError.yearNotCovered(2028, covered: 2025...2027)) {
            try calendar.workingDays(from: date("2027-12-01"), to: date("2028-01-10"))
        }
    }

    @Test func nextAndPreviousWorkingDay() throws {
        #expect(try calendar.nextWorkingDay(onOrAfter: date("2025-10-01")).value == date("2025-10-09"))
        #expect(try calendar.nextWorkingDay(onOrAfter: date("2025-10-11")).value == date("2025-10-11"))
        #expect(try calendar.previousWorkingDay(onOrBefore: date("2025-10-08")).value == date("2025-09-30"))
        #expect(try calendar.previousWorkingDay(onOrBefore: date("2026-01-03")).value == date("2025-12-31"))
        #expect(try calendar.nextWorkingDay(onOrAfter: date("2027-02-05"))
            == CalendarAnswer(value: date("2027-02-09"), provisionalYears: [2027]))
    }

    @Test(arguments: [
        ("2025-09-30", "2025-10-09", 1),    // only 10-09
        ("2025-09-26", "2025-10-10", 5),
        ("2025-10-10", "2025-09-26", -5),   // reversed: the negative
        ("2025-10-05", "2025-10-04", 0),    // both days off
        ("2025-10-01", "2025-10-01", 0),
        ("2025-10-08", "2025-10-09", 1),    // `to` counts, `from` does not
        ("2025-10-09", "2025-10-10", 1),
        ("2026-02-13", "2026-02-24", 2),    // 02-14 make-up and 02-24
        ("2025-01-01", "2025-12-31", 248),  // the whole of 2025 (01-01 is off anyway)
        ("2025-12-31", "2026-12-31", 248),  // the whole of 2026
        ("2025-12-20", "2026-01-20", 21),
    ])
    func countsWorkingDaysBetween(_ from: String, _ to: String, _ expected: Int) throws {
        let answer = try calendar.workingDays(from: date(from), to: date(to))
        #expect(answer.value == expected)
        #expect(!answer.isProvisional)
    }

    @Test func countingIntoTheProvisionalYearIsFlagged() throws {
        let answer = try calendar.workingDays(from: date("2026-12-31"), to: date("2027-12-31"))
        #expect(answer == CalendarAnswer(value: 254, provisionalYears: [2027]))
        let across = try calendar.workingDays(from: date("2025-06-01"), to: date("2027-01-04"))
        #expect(across.provisionalYears == [2027])
    }

    /// The documented laws: counts add up, reverse to their negative, and
    /// adding a count of working days lands back on a working day.
    @Test func countingAndAddingAgree() throws {
        var generator = SplitMix64(seed: 2025)
        let first = date("2025-01-01"), span = first.days(to: date("2027-12-31"))
        for _ in 0..<300 {
            let a = first.adding(days: Int(generator.next() % UInt64(span + 1)))
            let b = first.adding(days: Int(generator.next() % UInt64(span + 1)))
            let c = first.adding(days: Int(generator.next() % UInt64(span + 1)))
            let ab = try calendar.workingDays(from: a, to: b).value
            let bc = try calendar.workingDays(from: b, to: c).value
            let ac = try calendar.workingDays(from: a, to: c).value
            let ba = try calendar.workingDays(from: b, to: a).value
            #expect(ab + bc == ac, "\(a) \(b) \(c)")
            #expect(ab == -ba)
            if b > a, try calendar.isWorkingDay(b).value {
                #expect(try calendar.addingWorkingDays(ab, to: a).value == b, "\(a) → \(b)")
            }
            let n = Int(generator.next() % 40)
            if let later = try? calendar.addingWorkingDays(n, to: a).value, n > 0 {
                #expect(try calendar.workingDays(from: a, to: later).value == n)
                #expect(try calendar.isWorkingDay(later).value)
            }
        }
    }
}

/// A tiny deterministic generator, so the property test is reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
