import Foundation
import Testing
@testable import Domain

/// 2027, whose State Council notice is not published: a provisional year of
/// statutory days only (../shared/notes/holidays.md), flagged in every answer.
@Suite struct CalendarProvisionalTests {
    let calendar = WorkingDayCalendar.china

    @Test func theBundledFileIsTheComputation() throws {
        let file = try #require(calendar.years[2027])
        let computed = ProvisionalHolidays.year(2027)
        #expect(file.status == .provisional)
        #expect(file.holidays == computed.holidays)
        #expect(file.source.title == computed.source.title)
        #expect(file.holidays.allSatisfy { $0.makeUpWorkingDays.isEmpty })
        #expect(file.holidays.map(\.name) == ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"])
    }

    @Test(arguments: [
        ("2027-01-01", "元旦"),
        ("2027-02-05", "春节"),   // 除夕
        ("2027-02-06", "春节"),   // 正月初一
        ("2027-02-07", "春节"),
        ("2027-02-08", "春节"),   // 初三
        ("2027-04-05", "清明节"),
        ("2027-05-01", "劳动节"),
        ("2027-05-02", "劳动节"),
        ("2027-06-09", "端午节"),  // 五月初五
        ("2027-09-15", "中秋节"),  // 八月十五
        ("2027-10-01", "国庆节"),
        ("2027-10-02", "国庆节"),
        ("2027-10-03", "国庆节"),
    ])
    func statutoryDaysOffAreProvisionalHolidays(_ day: String, _ name: String) throws {
        let answer = try calendar.isHoliday(date(day))
        #expect(answer == CalendarAnswer<String?>(value: name, provisionalYears: [2027]))
        #expect(try !calendar.isWorkingDay(date(day)).value)
    }

    @Test func everyAnswerAboutTwentyTwentySevenIsFlagged() throws {
        for day in days("2027-01-01", "2027-12-31") {
            let answer = try calendar.day(day)
            #expect(answer.isProvisional && answer.provisionalYears == [2027], "\(day)")
            // No make-up days and no moved days: working = weekday and not a statutory day.
            let off = try calendar.isHoliday(day).value != nil
            #expect(answer.value.isWorkingDay == (!day.weekday.isWeekend && !off), "\(day)")
        }
        #expect(try calendar.workingDays(from: date("2026-12-31"), to: date("2027-12-31")).value == 254)
        // Days that a notice would typically move stay ordinary here.
        #expect(try calendar.day(date("2027-10-04")).value == .workday)   // Monday after 国庆
        #expect(try calendar.day(date("2027-02-09")).value == .workday)
    }

    @Test func lunarAndSolarDatesOfTheComputation() {
        #expect(ProvisionalHolidays.lunarDate(month: 1, day: 1, in: 2025) == date("2025-01-29"))
        #expect(ProvisionalHolidays.lunarDate(month: 1, day: 1, in: 2026) == date("2026-02-17"))
        #expect(ProvisionalHolidays.lunarDate(month: 1, day: 1, in: 2027) == date("2027-02-06"))
        #expect(ProvisionalHolidays.lunarDate(month: 5, day: 5, in: 2027) == date("2027-06-09"))
        #expect(ProvisionalHolidays.lunarDate(month: 8, day: 15, in: 2027) == date("2027-09-15"))
        #expect(SolarTerms.qingming(in: 2025) == date("2025-04-04"))
        #expect(SolarTerms.qingming(in: 2026) == date("2026-04-05"))
        #expect(SolarTerms.qingming(in: 2027) == date("2027-04-05"))
    }

    /// Cross-check of the solar computation with the 21st-century rule of thumb
    /// for 清明, [Y·0.2422 + 4.81] − [Y/4] (Y = year − 2000).
    @Test func qingmingAgreesWithTheRuleOfThumb() {
        for year in 2025...2060 {
            let y = Double(year - 2000)
            let day = Int((y * 0.2422 + 4.81).rounded(.down)) - (year - 2000) / 4
            #expect(SolarTerms.qingming(in: year) == (try? LocalDate(year: year, month: 4, day: day)), "\(year)")
        }
    }

    /// The computation applied to the official years gives only days the
    /// notices also made days off: the notices extend, never drop, statutory days.
    @Test(arguments: [2025, 2026])
    func statutoryDaysAreInsideTheOfficialDaysOff(_ year: Int) throws {
        let statutory = ProvisionalHolidays.year(year).holidays.flatMap(\.daysOff.days)
        #expect(statutory.count == 13)
        for day in statutory {
            #expect(try calendar.isHoliday(day).value != nil, "\(day)")
        }
    }

    /// When 中秋 falls inside 国庆 (2028-10-03) the computation joins them, as notices do.
    @Test func midAutumnInsideNationalDayIsOneHoliday() throws {
        let y2028 = ProvisionalHolidays.year(2028)
        #expect(y2028.holidays.map(\.name) == ["元旦", "春节", "清明节", "劳动节", "端午节", "国庆节、中秋节"])
        #expect(y2028.holidays.last?.daysOff == .init(from: date("2028-10-01"), to: date("2028-10-03")))
        try y2028.validate()
        #expect(ProvisionalHolidays.year(2029).holidays.flatMap(\.daysOff.days).count == 13)
    }

    /// An official file replaces the provisional year: data change only.
    @Test func anOfficialFileReplacesTheProvisionalYear() throws {
        let official2027 = testYear(2027, [("春节", "2027-02-05", "2027-02-11", ["2027-02-20"])])
        var files = [calendar.years[2025]!, calendar.years[2026]!, official2027]
        let updated = try WorkingDayCalendar(years: files)
        #expect(updated.provisionalYears.isEmpty)
        #expect(try updated.isHoliday(date("2027-02-10")) == CalendarAnswer<String?>(value: "春节"))
        #expect(try updated.day(date("2027-02-20")).value == .makeUpWorkingDay("春节"))

        // And a provisional 2028 after it extends the covered years, flagged.
        files.append(ProvisionalHolidays.year(2028))
        let extended = try WorkingDayCalendar(years: files)
        #expect(extended.coveredYears == 2025...2028)
        #expect(try extended.addingWorkingDays(1, to: date("2027-12-31")) == CalendarAnswer(value: date("2028-01-03"), provisionalYears: [2028]))
    }

    /// Prints a provisional year's file: see Shared/Domain/Holidays/README.md.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SHUANGJIAN_PRINT_PROVISIONAL_YEAR"] != nil))
    func printProvisionalYear() throws {
        let text = try #require(ProcessInfo.processInfo.environment["SHUANGJIAN_PRINT_PROVISIONAL_YEAR"])
        let year = try #require(Int(text))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(ProvisionalHolidays.year(year)), as: UTF8.self))
    }
}
