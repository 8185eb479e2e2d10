import Foundation
import Testing
@testable import Domain

/// Expanding DTSTART + RRULE + EXDATE into occurrences (RFC 5545 semantics).
@Suite struct RecurrenceRuleExpansionTests {
    func recurrence(_ start: String, _ rule: String, except: [String] = []) throws -> Recurrence {
        Recurrence(start: time(start), rule: try RecurrenceRule(parsing: rule), exceptionDates: except.map(time))
    }

    func dates(_ recurrence: Recurrence, _ count: Int = 100) -> [String] {
        recurrence.occurrences.prefix(count).map { $0.date.description }
    }

    @Test func plenaryMeetingsEverySixMonths() throws {
        let plenary = try recurrence("2025-01-15T09:30", "FREQ=MONTHLY;INTERVAL=6")
        #expect(Array(plenary.occurrences.prefix(4)) == [
            time("2025-01-15T09:30"), time("2025-07-15T09:30"), time("2026-01-15T09:30"), time("2026-07-15T09:30"),
        ])
    }

    @Test func liaisonMeetingsEveryTwoMonths() throws {
        let liaison = try recurrence("2025-02-10T14:30", "FREQ=MONTHLY;INTERVAL=2;COUNT=6")
        #expect(dates(liaison) == ["2025-02-10", "2025-04-10", "2025-06-10", "2025-08-10", "2025-10-10", "2025-12-10"])
        #expect(liaison.occurrences.allSatisfy { $0.hour == 14 && $0.minute == 30 })
    }

    @Test func monthsWithoutTheDayAreSkipped() throws {
        // DTSTART's day, 31: February, April and June have none (RFC 5545: ignored, not moved).
        #expect(dates(try recurrence("2025-01-31T09:00", "FREQ=MONTHLY;COUNT=4"))
            == ["2025-01-31", "2025-03-31", "2025-05-31", "2025-07-31"])
        #expect(dates(try recurrence("2025-01-31T09:00", "FREQ=MONTHLY;BYMONTHDAY=31;COUNT=5"))
            == ["2025-01-31", "2025-03-31", "2025-05-31", "2025-07-31", "2025-08-31"])
        #expect(dates(try recurrence("2025-01-30T09:00", "FREQ=MONTHLY;BYMONTHDAY=30;COUNT=3"))
            == ["2025-01-30", "2025-03-30", "2025-04-30"])
    }

    @Test func negativeMonthDaysCountFromTheEnd() throws {
        #expect(dates(try recurrence("2025-01-31T09:00", "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=5"))
            == ["2025-01-31", "2025-02-28", "2025-03-31", "2025-04-30", "2025-05-31"])
        #expect(dates(try recurrence("2028-01-01T09:00", "FREQ=MONTHLY;BYMONTHDAY=1,-2;COUNT=5"))
            == ["2028-01-01", "2028-01-30", "2028-02-01", "2028-02-28", "2028-03-01"])
    }

    @Test func ordinalWeekdaysInMonthlyRules() throws {
        #expect(dates(try recurrence("2025-01-06T09:00", "FREQ=MONTHLY;BYDAY=1MO;COUNT=3"))
            == ["2025-01-06", "2025-02-03", "2025-03-03"])
        #expect(dates(try recurrence("2025-01-31T09:00", "FREQ=MONTHLY;BYDAY=-1FR;COUNT=3"))
            == ["2025-01-31", "2025-02-28", "2025-03-28"])
        // A fifth Friday exists only in some months.
        #expect(dates(try recurrence("2025-01-31T09:00", "FREQ=MONTHLY;BYDAY=5FR;COUNT=2")) == ["2025-01-31", "2025-05-30"])
        // Every Tuesday of every other month.
        #expect(dates(try recurrence("2025-01-07T09:00", "FREQ=MONTHLY;INTERVAL=2;BYDAY=TU;COUNT=6"))
            == ["2025-01-07", "2025-01-14", "2025-01-21", "2025-01-28", "2025-03-04", "2025-03-11"])
        // BYDAY limits BYMONTHDAY: Friday the 13th.
        #expect(dates(try recurrence("2025-06-13T09:00", "FREQ=MONTHLY;BYMONTHDAY=13;BYDAY=FR;COUNT=3"))
            == ["2025-06-13", "2026-02-13", "2026-03-13"])
        // Second-to-last Thursday.
        #expect(dates(try recurrence("2025-10-23T09:00", "FREQ=MONTHLY;BYDAY=-2TH;COUNT=2")) == ["2025-10-23", "2025-11-20"])
    }

    @Test func weeklyRules() throws {
        #expect(dates(try recurrence("2025-09-01T09:00", "FREQ=WEEKLY;COUNT=3")) == ["2025-09-01", "2025-09-08", "2025-09-15"])
        #expect(dates(try recurrence("2025-09-01T09:00", "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=5"))
            == ["2025-09-01", "2025-09-03", "2025-09-08", "2025-09-10", "2025-09-15"])
        #expect(dates(try recurrence("2025-09-02T09:00", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH,TU;COUNT=5"))
            == ["2025-09-02", "2025-09-04", "2025-09-16", "2025-09-18", "2025-09-30"])
    }

    /// RFC 5545 §3.8.5.3's own example of how WKST changes a bi-weekly rule.
    @Test func weekStartAsInTheRFCExample() throws {
        #expect(dates(try recurrence("1997-08-05T09:00", "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO"))
            == ["1997-08-05", "1997-08-10", "1997-08-19", "1997-08-24"])
        #expect(dates(try recurrence("1997-08-05T09:00", "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU"))
            == ["1997-08-05", "1997-08-17", "1997-08-19", "1997-08-31"])
    }

    @Test func dtstartIsAlwaysTheFirstOccurrence() throws {
        // DTSTART does not match BYMONTHDAY=15 but counts as the first of COUNT=3.
        #expect(dates(try recurrence("2025-01-10T09:00", "FREQ=MONTHLY;BYMONTHDAY=15;COUNT=3"))
            == ["2025-01-10", "2025-01-15", "2025-02-15"])
        // Matches before DTSTART in its own period are not occurrences.
        #expect(dates(try recurrence("2025-09-03T09:00", "FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=3"))
            == ["2025-09-03", "2025-09-05", "2025-09-08"])
    }

    @Test func untilIsInclusiveInEachForm() throws {
        let all = ["2025-02-10", "2025-04-10", "2025-06-10", "2025-08-10", "2025-10-10"]
        let start = "2025-02-10T14:30", rule = "FREQ=MONTHLY;INTERVAL=2;UNTIL="
        #expect(dates(try recurrence(start, rule + "20251010")) == all)
        #expect(dates(try recurrence(start, rule + "20251009")) == Array(all.dropLast()))
        #expect(dates(try recurrence(start, rule + "20251010T143000")) == all)
        #expect(dates(try recurrence(start, rule + "20251010T142959")) == Array(all.dropLast()))
        // 06:30 UTC is 14:30 in Beijing.
        #expect(dates(try recurrence(start, rule + "20251010T063000Z")) == all)
        #expect(dates(try recurrence(start, rule + "20251010T062959Z")) == Array(all.dropLast()))
        // UNTIL before DTSTART: nothing.
        #expect(dates(try recurrence(start, rule + "20250101")).isEmpty)
    }

    @Test func exdatesAreSkippedButStillCountTowardsCount() throws {
        let liaison = try recurrence("2025-02-10T14:30", "FREQ=MONTHLY;INTERVAL=2;COUNT=4", except: ["2025-04-10T14:30"])
        #expect(dates(liaison) == ["2025-02-10", "2025-06-10", "2025-08-10"])
        // An EXDATE matches the date and the time.
        let otherTime = try recurrence("2025-02-10T14:30", "FREQ=MONTHLY;INTERVAL=2;COUNT=3", except: ["2025-04-10T09:00"])
        #expect(dates(otherTime) == ["2025-02-10", "2025-04-10", "2025-06-10"])
        // DTSTART itself can be excluded; exclude(_:) takes a date.
        var first = try recurrence("2025-02-10T14:30", "FREQ=MONTHLY;INTERVAL=2;COUNT=3")
        first.exclude(date("2025-02-10"))
        #expect(dates(first) == ["2025-04-10", "2025-06-10"])
        // With UNTIL, later occurrences are unaffected.
        let until = try recurrence("2025-02-10T14:30", "FREQ=MONTHLY;INTERVAL=2;UNTIL=20250810", except: ["2025-06-10T14:30"])
        #expect(dates(until) == ["2025-02-10", "2025-04-10", "2025-08-10"])
    }

    @Test func endlessRulesAreLazyAndEmptyRulesEnd() throws {
        let weekly = try recurrence("2025-01-06T09:00", "FREQ=WEEKLY")
        let thousand = Array(weekly.occurrences.prefix(1000))
        #expect(thousand.count == 1000)
        #expect(thousand[52] == time("2026-01-05T09:00"))
        // February never has a 30th: only DTSTART, and the sequence still ends.
        let never = try recurrence("2025-02-28T09:00", "FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=30")
        #expect(Array(never.occurrences) == [time("2025-02-28T09:00")])
    }

    @Test func leapDayMonthly() throws {
        #expect(dates(try recurrence("2028-02-29T09:00", "FREQ=MONTHLY;INTERVAL=12;COUNT=2")) == ["2028-02-29", "2032-02-29"])
    }
}
