import Foundation
import Testing
@testable import Domain

@Suite struct CalendarLocalDateTests {
    @Test func parsesAndFormatsISODates() throws {
        let d = try LocalDate(parsing: "2025-10-01")
        #expect(d.year == 2025 && d.month == 10 && d.day == 1)
        #expect(d.description == "2025-10-01")
        #expect(d.basicFormat == "20251001")
        #expect(try LocalDate(parsingBasic: "20251001") == d)
        #expect(try LocalDate(year: 7, month: 3, day: 9).description == "0007-03-09")
        #expect(LocalDate("2024-02-29") != nil)
        #expect(LocalDate("2025-02-29") == nil)
    }

    @Test(arguments: ["", "2025-1-01", "2025/10/01", "20251001", "2025-10-01T00:00", " 2025-10-01", "２０２５-10-01",
                      "+025-10-01", "2025-10-0a", "2025-10-011"])
    func rejectsMalformedText(_ text: String) {
        #expect(throws: LocalDateError.malformed(text)) { try LocalDate(parsing: text) }
    }

    @Test func rejectsImpossibleDatesWithTheReason() {
        #expect(throws: LocalDateError.invalidMonth(year: 2025, month: 13)) { try LocalDate(parsing: "2025-13-01") }
        #expect(throws: LocalDateError.invalidMonth(year: 2025, month: 0)) { try LocalDate(parsing: "2025-00-10") }
        #expect(throws: LocalDateError.invalidDay(year: 2025, month: 2, day: 29)) { try LocalDate(parsing: "2025-02-29") }
        #expect(throws: LocalDateError.invalidDay(year: 2025, month: 4, day: 31)) { try LocalDate(year: 2025, month: 4, day: 31) }
        #expect(throws: LocalDateError.invalidDay(year: 2025, month: 1, day: 0)) { try LocalDate(year: 2025, month: 1, day: 0) }
        #expect(throws: LocalDateError.yearOutOfRange(0)) { try LocalDate(parsing: "0000-01-01") }
        #expect(throws: LocalDateError.yearOutOfRange(10_000)) { try LocalDate(year: 10_000, month: 1, day: 1) }
        #expect(LocalDateError.invalidDay(year: 2025, month: 2, day: 29).description.contains("has no day 29"))
    }

    @Test func leapYearsFollowTheGregorianRule() throws {
        #expect(throws: Never.self) { try LocalDate(year: 2000, month: 2, day: 29) }
        #expect(throws: LocalDateError.invalidDay(year: 1900, month: 2, day: 29)) { try LocalDate(year: 1900, month: 2, day: 29) }
        #expect(throws: Never.self) { try LocalDate(year: 2028, month: 2, day: 29) }
    }

    @Test func isCodableAsItsText() throws {
        struct Wrapper: Codable, Equatable { let due: LocalDate }
        let json = #"{"due":"2026-01-04"}"#
        let decoded = try JSONDecoder().decode(Wrapper.self, from: Data(json.utf8))
        #expect(decoded.due == date("2026-01-04"))
        #expect(String(decoding: try JSONEncoder().encode(decoded), as: UTF8.self) == json)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Wrapper.self, from: Data(#"{"due":"2026-02-30"}"#.utf8))
        }
    }

    @Test func comparesAndHashesByDay() {
        #expect(date("2025-12-31") < date("2026-01-01"))
        #expect(date("2025-10-01") == date("2025-10-01"))
        #expect(Set([date("2025-10-01"), date("2025-10-01"), date("2025-10-02")]).count == 2)
        #expect([date("2026-01-01"), date("2024-02-29"), date("2025-06-15")].sorted().map(\.description)
            == ["2024-02-29", "2025-06-15", "2026-01-01"])
    }

    @Test func knowsTheWeekday() {
        #expect(date("1970-01-01").weekday == .thursday)
        #expect(date("2025-10-01").weekday == .wednesday)
        #expect(date("2026-01-04").weekday == .sunday)
        #expect(date("2027-02-06").weekday == .saturday)
        #expect(date("1969-12-31").weekday == .wednesday)
        #expect(date("0001-01-01").weekday == .monday)
    }

    @Test func addsDaysAcrossMonthsYearsAndLeapDays() {
        #expect(date("2025-12-31").adding(days: 1) == date("2026-01-01"))
        #expect(date("2028-02-28").adding(days: 1) == date("2028-02-29"))
        #expect(date("2027-02-28").adding(days: 1) == date("2027-03-01"))
        #expect(date("2026-03-01").adding(days: -1) == date("2026-02-28"))
        #expect(date("2025-01-01").adding(days: 365) == date("2026-01-01"))
        #expect(date("2025-01-01").days(to: date("2027-01-01")) == 730)
        #expect(date("2027-01-01").days(to: date("2025-01-01")) == -730)
    }

    @Test func roundTripsEveryDayOfFourHundredYears() {
        // The Gregorian cycle is 400 years; compare the arithmetic with Foundation's calendar.
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = TimeZone(identifier: "UTC")!
        var d = date("2000-01-01")
        var instant = gregorian.date(from: DateComponents(year: 2000, month: 1, day: 1))!
        for _ in 0..<(146_097) {
            let c = gregorian.dateComponents([.year, .month, .day], from: instant)
            guard c.year == d.year, c.month == d.month, c.day == d.day, LocalDate(d.description) == d else {
                Issue.record("mismatch at \(d)")
                return
            }
            d = d.adding(days: 1)
            instant = instant.addingTimeInterval(86_400)
        }
    }

    @Test func convertsInstantsInChinaStandardTime() throws {
        // 2025-09-30T16:30:00Z is 2025-10-01 00:30 in Beijing.
        let instant = Date(timeIntervalSince1970: 1_759_249_800)
        #expect(LocalDate(instant) == date("2025-10-01"))
        #expect(LocalDate(instant, in: TimeZone(identifier: "UTC")!) == date("2025-09-30"))
        #expect(LocalDateTime(instant) == time("2025-10-01T00:30"))
        #expect(date("2025-10-01").startOfDay() == Date(timeIntervalSince1970: 1_759_248_000))
        #expect(time("2025-10-01T00:30").instant() == instant)
        #expect(ChinaTime.timeZone.secondsFromGMT(for: instant) == 8 * 3600)
    }

    @Test func parsesDateTimes() throws {
        #expect(try LocalDateTime(parsing: "2025-10-09T09:30:15").description == "2025-10-09T09:30:15")
        #expect(try LocalDateTime(parsing: "2025-10-09T09:30").basicFormat == "20251009T093000")
        #expect(try LocalDateTime(parsingBasic: "20251009T093000") == time("2025-10-09T09:30"))
        #expect(throws: LocalDateTimeError.invalidTime(hour: 24, minute: 0, second: 0)) {
            try LocalDateTime(parsing: "2025-10-09T24:00")
        }
        #expect(throws: LocalDateTimeError.malformed("2025-10-09 09:30")) { try LocalDateTime(parsing: "2025-10-09 09:30") }
        #expect(throws: LocalDateTimeError.invalidDate(.invalidDay(year: 2025, month: 2, day: 30))) {
            try LocalDateTime(parsingBasic: "20250230T093000")
        }
    }
}
