import Foundation
@testable import Domain

/// A date from "YYYY-MM-DD" text; test literals only.
func date(_ text: String) -> LocalDate {
    do { return try LocalDate(parsing: text) } catch { fatalError("bad test date \(text): \(error)") }
}

/// A Shanghai wall-clock time from "YYYY-MM-DDTHH:MM"; test literals only.
func time(_ text: String) -> LocalDateTime {
    do { return try LocalDateTime(parsing: text) } catch { fatalError("bad test time \(text): \(error)") }
}

/// Every day from `first` through `last`.
func days(_ first: String, _ last: String) -> [LocalDate] {
    let from = date(first), to = date(last)
    return (0...from.days(to: to)).map { from.adding(days: $0) }
}

/// The facts of ../shared/notes/holidays.md, written out independently of the
/// JSON files so that the tests check the files against the notes.
enum NotedHolidays {
    struct Entry {
        let name: String
        let daysOff: [LocalDate]
        let makeUp: [LocalDate]
    }

    static let y2025: [Entry] = [
        Entry(name: "元旦", daysOff: days("2025-01-01", "2025-01-01"), makeUp: []),
        Entry(name: "春节", daysOff: days("2025-01-28", "2025-02-04"), makeUp: [date("2025-01-26"), date("2025-02-08")]),
        Entry(name: "清明节", daysOff: days("2025-04-04", "2025-04-06"), makeUp: []),
        Entry(name: "劳动节", daysOff: days("2025-05-01", "2025-05-05"), makeUp: [date("2025-04-27")]),
        Entry(name: "端午节", daysOff: days("2025-05-31", "2025-06-02"), makeUp: []),
        Entry(name: "国庆节、中秋节", daysOff: days("2025-10-01", "2025-10-08"), makeUp: [date("2025-09-28"), date("2025-10-11")]),
    ]

    static let y2026: [Entry] = [
        Entry(name: "元旦", daysOff: days("2026-01-01", "2026-01-03"), makeUp: [date("2026-01-04")]),
        Entry(name: "春节", daysOff: days("2026-02-15", "2026-02-23"), makeUp: [date("2026-02-14"), date("2026-02-28")]),
        Entry(name: "清明节", daysOff: days("2026-04-04", "2026-04-06"), makeUp: []),
        Entry(name: "劳动节", daysOff: days("2026-05-01", "2026-05-05"), makeUp: [date("2026-05-09")]),
        Entry(name: "端午节", daysOff: days("2026-06-19", "2026-06-21"), makeUp: []),
        Entry(name: "中秋节", daysOff: days("2026-09-25", "2026-09-27"), makeUp: []),
        Entry(name: "国庆节", daysOff: days("2026-10-01", "2026-10-07"), makeUp: [date("2026-09-20"), date("2026-10-10")]),
    ]
}

/// A small hand-made year for tests of the calendar's rules rather than its data.
func testYear(_ year: Int, status: HolidayYear.Status = .official,
              _ holidays: [(String, String, String, [String])]) -> HolidayYear {
    HolidayYear(
        year: year, status: status, source: .init(title: "test \(year)"),
        holidays: holidays.map { name, from, to, makeUp in
            HolidayYear.Holiday(name: name, daysOff: .init(from: date(from), to: date(to)),
                                makeUpWorkingDays: makeUp.map(date))
        })
}
