import Foundation
import Testing
@testable import Domain

/// The bundled holiday files against ../shared/notes/holidays.md.
@Suite struct CalendarDataTests {
    let calendar = WorkingDayCalendar.china

    @Test func bundledDataLoadsAndCoversTwentyTwentyFiveToTwentySeven() throws {
        let loaded = try WorkingDayCalendar.bundled()
        #expect(loaded.coveredYears == 2025...2027)
        #expect(calendar.coveredYears == 2025...2027)
        #expect(try !calendar.isProvisional(year: 2025))
        #expect(try !calendar.isProvisional(year: 2026))
        #expect(try calendar.isProvisional(year: 2027))
        #expect(calendar.provisionalYears == [2027])
        #expect(calendar.years[2025]?.source.number == "国办发明电〔2024〕12号")
        #expect(calendar.years[2025]?.source.published == date("2024-11-12"))
        #expect(calendar.years[2026]?.source.published == date("2025-11-04"))
    }

    @Test func filesGroupTheDaysAsTheNotesDo() {
        for (year, noted) in [(2025, NotedHolidays.y2025), (2026, NotedHolidays.y2026)] {
            let file = calendar.years[year]!
            #expect(file.holidays.map(\.name) == noted.map(\.name))
            for (holiday, entry) in zip(file.holidays, noted) {
                #expect(holiday.daysOff.days == entry.daysOff, "\(year) \(entry.name)")
                #expect(holiday.makeUpWorkingDays == entry.makeUp, "\(year) \(entry.name)")
            }
        }
    }

    @Test(arguments: NotedHolidays.y2025 + NotedHolidays.y2026)
    func everyNotedDayOffIsAHolidayWithItsName(_ entry: NotedHolidays.Entry) throws {
        for day in entry.daysOff {
            #expect(try calendar.isHoliday(day).value == entry.name, "\(day)")
            #expect(try !calendar.isWorkingDay(day).value, "\(day)")
            #expect(try calendar.day(day) == CalendarAnswer(value: .holiday(entry.name)), "\(day)")
        }
        for day in entry.makeUp {
            #expect(day.weekday.isWeekend, "\(day) is a make-up day on a weekend")
            #expect(try calendar.isWorkingDay(day).value, "\(day)")
            #expect(try calendar.isHoliday(day).value == nil, "\(day)")
            #expect(try calendar.day(day).value == .makeUpWorkingDay(entry.name), "\(day)")
        }
    }

    /// Every day of both years: working iff (weekday and not off) or make-up.
    @Test(arguments: [2025, 2026])
    func everyDayOfTheOfficialYearsMatchesTheNotes(_ year: Int) throws {
        let noted = year == 2025 ? NotedHolidays.y2025 : NotedHolidays.y2026
        let off = Set(noted.flatMap(\.daysOff)), makeUp = Set(noted.flatMap(\.makeUp))
        var workingDays = 0
        for day in days("\(year)-01-01", "\(year)-12-31") {
            let expected = makeUp.contains(day) || (!day.weekday.isWeekend && !off.contains(day))
            let answer = try calendar.isWorkingDay(day)
            #expect(answer.value == expected, "\(day)")
            #expect(!answer.isProvisional)
            if answer.value { workingDays += 1 }
        }
        // 2025: 261 weekdays − 18 weekdays off + 5 make-up days; 2026: 261 − 19 + 6.
        #expect(workingDays == 248)
    }

    @Test func theExamplesOfTheBrief() throws {
        for day in days("2025-10-01", "2025-10-08") {
            #expect(try calendar.isHoliday(day).value == "国庆节、中秋节")
        }
        #expect(try calendar.isWorkingDay(date("2025-09-28")).value)   // Sunday, make-up
        #expect(try calendar.isWorkingDay(date("2025-10-11")).value)   // Saturday, make-up
        #expect(try calendar.isWorkingDay(date("2026-01-04")).value)   // Sunday, make-up
        #expect(try calendar.day(date("2026-01-04")).value == .makeUpWorkingDay("元旦"))
    }

    @Test func ordinaryWeekendsAndWeekdays() throws {
        #expect(try calendar.day(date("2025-03-08")).value == .weekend)    // Saturday
        #expect(try calendar.day(date("2025-03-09")).value == .weekend)    // Sunday
        #expect(try calendar.day(date("2025-03-10")).value == .workday)    // Monday
        #expect(try calendar.day(date("2026-07-17")).value == .workday)    // Friday
        #expect(try calendar.day(date("2026-07-18")).value == .weekend)
        #expect(try calendar.isHoliday(date("2026-07-18")).value == nil)
        #expect(try calendar.day(date("2027-03-13")) == CalendarAnswer(value: .weekend, provisionalYears: [2027]))
    }

    @Test func anUncoveredYearIsAClearError() throws {
        let error = CalendarError.yearNotCovered(2028, covered: 2025...2027)
        #expect(throws: error) { try calendar.isWorkingDay(date("2028-01-03")) }
        #expect(throws: CalendarError.yearNotCovered(2024, covered: 2025...2027)) {
            try calendar.isHoliday(date("2024-12-31"))
        }
        #expect(throws: CalendarError.yearNotCovered(2028, covered: 2025...2027)) {
            try calendar.isProvisional(year: 2028)
        }
        #expect(error.description.contains("2028"))
        #expect(error.description.contains("2025–2027"))
        #expect(error.description.contains("Holidays/2028.json"))
    }

    @Test func fileNamesMustMatchTheirYear() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("holidays-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let encoded = try JSONEncoder().encode(testYear(2025, [("元旦", "2025-01-01", "2025-01-01", [])]))
        try encoded.write(to: directory.appendingPathComponent("2025.json"))
        try Data("# notes".utf8).write(to: directory.appendingPathComponent("README.md"))
        #expect(try WorkingDayCalendar(contentsOf: directory).coveredYears == 2025...2025)

        try encoded.write(to: directory.appendingPathComponent("2026.json"))
        #expect(throws: HolidayDataError.fileNameMismatch(file: "2026.json", year: 2025)) {
            try WorkingDayCalendar(contentsOf: directory)
        }
        try Data(#"{"year": 2026, "status": "maybe"}"#.utf8).write(to: directory.appendingPathComponent("2026.json"))
        #expect {
            try WorkingDayCalendar(contentsOf: directory)
        } throws: { error in
            guard case HolidayDataError.unreadable(let file, _) = error else { return false }
            return file == "2026.json"
        }
    }

    @Test func badDataIsRejectedWithTheReason() {
        #expect(throws: HolidayDataError.noYears) { try WorkingDayCalendar(years: []) }
        #expect(throws: HolidayDataError.missingYear(2026, covered: 2025...2027)) {
            try WorkingDayCalendar(years: [testYear(2025, []), testYear(2027, [])])
        }
        #expect(throws: HolidayDataError.duplicateYear(2025)) {
            try WorkingDayCalendar(years: [testYear(2025, []), testYear(2025, [])])
        }
        #expect(throws: HolidayDataError.makeUpDayNotOnWeekend(year: 2025, holiday: "X", date: date("2025-10-10"))) {
            try WorkingDayCalendar(years: [testYear(2025, [("X", "2025-10-01", "2025-10-03", ["2025-10-10"])])])
        }
        #expect(throws: HolidayDataError.emptyRange(year: 2025, holiday: "X", from: date("2025-10-03"), to: date("2025-10-01"))) {
            try WorkingDayCalendar(years: [testYear(2025, [("X", "2025-10-03", "2025-10-01", [])])])
        }
        #expect(throws: HolidayDataError.dayListedTwice(date: date("2025-10-03"), first: "X", second: "Y")) {
            try WorkingDayCalendar(years: [testYear(2025, [("X", "2025-10-01", "2025-10-03", []), ("Y", "2025-10-03", "2025-10-04", [])])])
        }
        #expect(throws: HolidayDataError.dateFarFromYear(year: 2025, holiday: "X", date: date("2027-01-01"))) {
            try WorkingDayCalendar(years: [testYear(2025, [("X", "2027-01-01", "2027-01-01", [])])])
        }
    }

    /// A notice may reach into the year before (the 2019 notice had 2018-12-29
    /// as a make-up day and 2018-12-30/31 off). Official data wins over
    /// provisional data about the same day; two official files must agree.
    @Test func overlappingYearsSettleOfficialOverProvisional() throws {
        let y2018 = testYear(2018, status: .provisional, [("元旦", "2018-01-01", "2018-01-01", []), ("末", "2018-12-31", "2018-12-31", [])])
        let y2019 = testYear(2019, [("元旦", "2018-12-30", "2019-01-01", ["2018-12-29"])])
        let calendar = try WorkingDayCalendar(years: [y2018, y2019])
        #expect(try calendar.day(date("2018-12-29")).value == .makeUpWorkingDay("元旦"))
        #expect(try calendar.day(date("2018-12-31")).value == .holiday("元旦"))
        // The day's year is provisional, so the answer says so.
        #expect(try calendar.day(date("2018-12-31")).isProvisional)
        #expect(try !calendar.day(date("2019-01-01")).isProvisional)

        let other2018 = testYear(2018, [("末", "2018-12-31", "2018-12-31", [])])
        #expect(throws: HolidayDataError.conflictingFiles(date: date("2018-12-31"), years: [2018, 2019])) {
            try WorkingDayCalendar(years: [other2018, y2019])
        }
    }
}
