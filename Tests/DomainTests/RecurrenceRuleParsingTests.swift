import Foundation
import Testing
@testable import Domain

/// RRULE text: the supported subset, its canonical form, and errors that name the part.
@Suite struct RecurrenceRuleParsingTests {
    @Test(arguments: [
        "FREQ=MONTHLY;INTERVAL=6",                    // plenary meetings
        "FREQ=MONTHLY;INTERVAL=2",                    // liaison meetings
        "FREQ=WEEKLY",
        "FREQ=WEEKLY;BYDAY=MO,WE,FR",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=SU",
        "FREQ=MONTHLY;BYMONTHDAY=1,15,-1",
        "FREQ=MONTHLY;BYDAY=1MO,-1FR",
        "FREQ=MONTHLY;BYDAY=TU",
        "FREQ=MONTHLY;BYMONTHDAY=13;BYDAY=FR",
        "FREQ=MONTHLY;INTERVAL=2;COUNT=10",
        "FREQ=MONTHLY;UNTIL=20261231",
        "FREQ=MONTHLY;UNTIL=20261231T093000",
        "FREQ=MONTHLY;INTERVAL=6;UNTIL=20261231T013000Z",
    ])
    func canonicalTextRoundTrips(_ text: String) throws {
        let rule = try RecurrenceRule(parsing: text)
        #expect(rule.description == text)
        #expect(try RecurrenceRule(parsing: rule.description) == rule)
    }

    @Test(arguments: [
        ("rrule:freq=monthly;count=3;interval=2", "FREQ=MONTHLY;INTERVAL=2;COUNT=3"),
        ("RRULE:FREQ=WEEKLY;INTERVAL=1", "FREQ=WEEKLY"),
        ("FREQ=MONTHLY;BYDAY=+1MO,-2TH", "FREQ=MONTHLY;BYDAY=1MO,-2TH"),
        ("  WKST=MO;BYDAY=we;FREQ=WEEKLY \n", "FREQ=WEEKLY;BYDAY=WE;WKST=MO"),
        ("FREQ=MONTHLY;BYMONTHDAY=+5", "FREQ=MONTHLY;BYMONTHDAY=5"),
    ])
    func acceptsAnyOrderAndCase(_ text: String, _ canonical: String) throws {
        #expect(try RecurrenceRule(parsing: text).description == canonical)
    }

    @Test func partsAreParsedIntoTheModel() throws {
        let rule = try RecurrenceRule(parsing: "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=-1;BYDAY=1MO,FR;COUNT=4")
        #expect(rule.frequency == .monthly)
        #expect(rule.interval == 2)
        #expect(rule.byMonthDay == [-1])
        #expect(rule.byDay == [.init(.monday, ordinal: 1), .init(.friday)])
        #expect(rule.end == .count(4))
        #expect(rule.weekStart == nil)

        let utc = try RecurrenceRule(parsing: "FREQ=WEEKLY;UNTIL=20251010T063000Z;WKST=SU")
        #expect(utc.end == .until(.utc(time("2025-10-10T14:30").instant())))
        #expect(utc.weekStart == .sunday)
        #expect(try RecurrenceRule(parsing: "FREQ=WEEKLY;UNTIL=20251010").end == .until(.date(date("2025-10-10"))))
        #expect(try RecurrenceRule(parsing: "FREQ=WEEKLY;UNTIL=20251010T093000").end
            == .until(.localTime(time("2025-10-10T09:30"))))
    }

    @Test(arguments: [
        // (text, the error, the part it names)
        ("", RecurrenceRuleError.malformedPart(""), ""),
        ("INTERVAL=2", .missingFrequency, "FREQ"),
        ("FREQ=DAILY", .unsupportedValue(part: "FREQ", value: "DAILY"), "FREQ"),
        ("FREQ=YEARLY;BYMONTH=1", .unsupportedPart("BYMONTH"), "BYMONTH"),
        ("FREQ=YEARLY", .unsupportedValue(part: "FREQ", value: "YEARLY"), "FREQ"),
        ("FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU", .unsupportedPart("BYSETPOS"), "BYSETPOS"),
        ("FREQ=WEEKLY;BYHOUR=9", .unsupportedPart("BYHOUR"), "BYHOUR"),
        ("FREQ=MONTHLY;BYYEARDAY=100", .unsupportedPart("BYYEARDAY"), "BYYEARDAY"),
        ("FREQ=MONTHLY;X-NAME=1", .unsupportedPart("X-NAME"), "X-NAME"),
        ("FREQ=MONTHLY;COUNT=3;UNTIL=20261231", .countAndUntil, "COUNT"),
        ("FREQ=MONTHLY;FREQ=WEEKLY", .duplicatePart("FREQ"), "FREQ"),
        ("FREQ=MONTHLY;COUNT", .malformedPart("COUNT"), "COUNT"),
        ("FREQ=MONTHLY;", .malformedPart(""), ""),
        ("FREQ=WEEKLY;BYMONTHDAY=1", .partNotAllowed(part: "BYMONTHDAY", frequency: "WEEKLY"), "BYMONTHDAY"),
    ])
    func unsupportedOrMalformedRulesAreRefused(_ text: String, _ error: RecurrenceRuleError, _ part: String) {
        #expect(throws: error) { try RecurrenceRule(parsing: text) }
        #expect(error.part == part)
        #expect(part.isEmpty || error.description.contains(part))
    }

    /// Invalid values: the error names the part and the value.
    @Test(arguments: [
        ("FREQ=FORTNIGHTLY", "FREQ", "FORTNIGHTLY"),
        ("FREQ=MONTHLY;INTERVAL=0", "INTERVAL", "0"),
        ("FREQ=MONTHLY;INTERVAL=-2", "INTERVAL", "-2"),
        ("FREQ=MONTHLY;INTERVAL=two", "INTERVAL", "TWO"),
        ("FREQ=MONTHLY;COUNT=0", "COUNT", "0"),
        ("FREQ=MONTHLY;COUNT=", "COUNT", ""),
        ("FREQ=MONTHLY;COUNT=1.5", "COUNT", "1.5"),
        ("FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY", "32"),
        ("FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY", "0"),
        ("FREQ=MONTHLY;BYMONTHDAY=-32", "BYMONTHDAY", "-32"),
        ("FREQ=MONTHLY;BYMONTHDAY=1,,2", "BYMONTHDAY", ""),
        ("FREQ=MONTHLY;BYMONTHDAY=first", "BYMONTHDAY", "FIRST"),
        ("FREQ=MONTHLY;BYDAY=XX", "BYDAY", "XX"),
        ("FREQ=MONTHLY;BYDAY=6MO", "BYDAY", "6MO"),
        ("FREQ=MONTHLY;BYDAY=0MO", "BYDAY", "0MO"),
        ("FREQ=MONTHLY;BYDAY=AMO", "BYDAY", "AMO"),
        ("FREQ=WEEKLY;BYDAY=1MO", "BYDAY", "1MO"),
        ("FREQ=MONTHLY;UNTIL=2026-12-31", "UNTIL", "2026-12-31"),
        ("FREQ=MONTHLY;UNTIL=20261331", "UNTIL", "20261331"),
        ("FREQ=MONTHLY;UNTIL=20261231T250000Z", "UNTIL", "20261231T250000Z"),
        ("FREQ=MONTHLY;WKST=XY", "WKST", "XY"),
    ])
    func invalidValuesNameThePartAndValue(_ text: String, _ part: String, _ value: String) {
        #expect {
            try RecurrenceRule(parsing: text)
        } throws: { error in
            guard case RecurrenceRuleError.invalidValue(let p, let v, let reason) = error else { return false }
            return p == part && v == value && !reason.isEmpty
                && (error as! RecurrenceRuleError).description.hasPrefix("\(part)=\(value) is invalid")
        }
    }

    @Test func descriptionsExplainWhatIsSupported() {
        #expect(RecurrenceRuleError.unsupportedPart("BYSETPOS").description
            == "rule part BYSETPOS is not supported (supported: FREQ, INTERVAL, BYMONTHDAY, BYDAY, WKST, COUNT, UNTIL)")
        #expect(RecurrenceRuleError.unsupportedPart("FOO").description.hasPrefix("FOO is not an RFC 5545 rule part"))
        #expect(RecurrenceRuleError.unsupportedValue(part: "FREQ", value: "DAILY").description
            == "FREQ=DAILY is not supported (supported: WEEKLY, MONTHLY)")
    }

    @Test func theInitializerValidatesToo() {
        #expect(throws: RecurrenceRuleError.partNotAllowed(part: "BYMONTHDAY", frequency: "WEEKLY")) {
            try RecurrenceRule(frequency: .weekly, byMonthDay: [1])
        }
        #expect(throws: RecurrenceRuleError.invalidValue(part: "INTERVAL", value: "0", reason: "it must be a positive integer")) {
            try RecurrenceRule(frequency: .monthly, interval: 0)
        }
        #expect(throws: RecurrenceRuleError.invalidValue(part: "COUNT", value: "-1", reason: "it must be a positive integer")) {
            try RecurrenceRule(frequency: .monthly, end: .count(-1))
        }
        #expect(throws: Never.self) {
            try RecurrenceRule(frequency: .monthly, interval: 6, byDay: [.init(.friday, ordinal: -1)], end: .count(3))
        }
    }

    @Test func icalendarLinesRoundTrip() throws {
        let recurrence = Recurrence(
            start: time("2025-01-15T09:30"),
            rule: try RecurrenceRule(parsing: "FREQ=MONTHLY;INTERVAL=6"),
            exceptionDates: [time("2025-07-15T09:30"), time("2026-01-15T09:30")])
        #expect(recurrence.icalendarLines == [
            "DTSTART;TZID=Asia/Shanghai:20250115T093000",
            "RRULE:FREQ=MONTHLY;INTERVAL=6",
            "EXDATE;TZID=Asia/Shanghai:20250715T093000,20260115T093000",
        ])
        #expect(try Recurrence(icalendarLines: recurrence.icalendarLines) == recurrence)

        let floating = try Recurrence(icalendarLines: ["DTSTART:20250210T143000", "RRULE:FREQ=MONTHLY;INTERVAL=2", ""])
        #expect(floating.timeZone.identifier == "Asia/Shanghai")
        #expect(floating.exceptionDates.isEmpty)
        #expect(floating.icalendarLines.count == 2)
    }

    @Test func badIcalendarLinesAreRefused() {
        #expect(throws: RecurrenceRuleError.self) { try Recurrence(icalendarLines: ["RRULE:FREQ=MONTHLY"]) }
        #expect(throws: RecurrenceRuleError.self) { try Recurrence(icalendarLines: ["DTSTART:20250115T093000"]) }
        #expect(throws: RecurrenceRuleError.self) {
            try Recurrence(icalendarLines: ["DTSTART:20250115T013000Z", "RRULE:FREQ=MONTHLY"])
        }
        #expect(throws: RecurrenceRuleError.self) {
            try Recurrence(icalendarLines: ["DTSTART;TZID=Mars/Olympus:20250115T093000", "RRULE:FREQ=MONTHLY"])
        }
        #expect(throws: RecurrenceRuleError.self) {
            try Recurrence(icalendarLines: ["DTSTART:20250115T093000", "RDATE:20250120T093000", "RRULE:FREQ=MONTHLY"])
        }
        #expect(throws: RecurrenceRuleError.unsupportedValue(part: "FREQ", value: "DAILY")) {
            try Recurrence(icalendarLines: ["DTSTART:20250115T093000", "RRULE:FREQ=DAILY"])
        }
    }
}
