import Foundation

/// The statutory holidays of a year whose State Council notice is not yet
/// published, as a provisional `HolidayYear`.
///
/// It follows 《全国年节及纪念日放假办法》 as revised in November 2024 (in force
/// from 2025-01-01) and nothing more: 元旦 01-01; 春节 除夕 and 正月初一–初三;
/// 清明节 on the solar term; 劳动节 05-01–05-02; 端午节 五月初五; 中秋节 八月十五;
/// 国庆节 10-01–10-03. Weekends stay weekends, there are no make-up working days
/// (调休) and no moved days: those are decided by each year's notice and are
/// not guessed. Lunar dates come from Foundation's Chinese calendar.
///
/// This is how `Holidays/2027.json` was made, and the unit tests check that
/// file against it. It is not used when loading: the calendar reads only data
/// files, so the official notice replaces a provisional year by replacing its file.
public enum ProvisionalHolidays {
    /// The provisional year; `year` must be 2025 or later (earlier years had other rules).
    public static func year(_ year: Int) -> HolidayYear {
        precondition(year >= 2025, "the statutory holidays before 2025 followed other rules")
        func date(_ month: Int, _ day: Int) -> LocalDate { (try? LocalDate(year: year, month: month, day: day))! }

        let springFestival = lunarDate(month: 1, day: 1, in: year)     // 正月初一
        let dragonBoat = lunarDate(month: 5, day: 5, in: year)         // 五月初五
        let midAutumn = lunarDate(month: 8, day: 15, in: year)         // 八月十五
        let qingming = SolarTerms.qingming(in: year)

        var holidays: [HolidayYear.Holiday] = [
            .init(name: "元旦", daysOff: .init(from: date(1, 1), to: date(1, 1))),
            .init(name: "春节", daysOff: .init(from: springFestival.adding(days: -1), to: springFestival.adding(days: 2))),
            .init(name: "清明节", daysOff: .init(from: qingming, to: qingming)),
            .init(name: "劳动节", daysOff: .init(from: date(5, 1), to: date(5, 2))),
            .init(name: "端午节", daysOff: .init(from: dragonBoat, to: dragonBoat)),
        ]
        let nationalDay = HolidayYear.DayRange(from: date(10, 1), to: date(10, 3))
        if nationalDay.from <= midAutumn && midAutumn <= nationalDay.to {
            // 中秋 inside 国庆 (as on 2020-10-01): one holiday, as notices write it.
            holidays.append(.init(name: "国庆节、中秋节", daysOff: nationalDay))
        } else {
            holidays.append(.init(name: "中秋节", daysOff: .init(from: midAutumn, to: midAutumn)))
            holidays.append(.init(name: "国庆节", daysOff: nationalDay))
        }
        holidays.sort { $0.daysOff.from < $1.daysOff.from }

        return HolidayYear(
            year: year, status: .provisional,
            source: .init(
                title: "《全国年节及纪念日放假办法》（2024年11月修订，2025年1月1日起施行）",
                note: "Provisional: the State Council notice for \(year) (国务院办公厅关于\(year)年部分节假日安排的通知) "
                    + "is not published yet. Statutory days only, computed by ProvisionalHolidays.year(\(year)); "
                    + "weekends as usual, no make-up working days (调休). Replace this file with the notice when it is published."),
            holidays: holidays)
    }

    /// The Gregorian date in `year` of a (non-leap) lunar month and day, taken
    /// at noon China Standard Time so the day boundary is never in question.
    static func lunarDate(month: Int, day: Int, in year: Int) -> LocalDate {
        var chinese = Calendar(identifier: .chinese)
        chinese.timeZone = ChinaTime.timeZone
        var date = (try? LocalDate(year: year, month: 1, day: 1))!
        while date.year == year {
            let noon = LocalDateTime(uncheckedDate: date, hour: 12, minute: 0, second: 0).instant(in: ChinaTime.timeZone)
            let lunar = chinese.dateComponents([.month, .day, .isLeapMonth], from: noon)
            if lunar.month == month, lunar.day == day, lunar.isLeapMonth != true { return date }
            date = date.adding(days: 1)
        }
        preconditionFailure("Foundation's Chinese calendar gives no lunar \(month)-\(day) in \(year)")
    }
}
