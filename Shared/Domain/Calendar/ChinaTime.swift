import Foundation

/// The county's time zone. Every working-day question is asked in China
/// Standard Time: a deadline "by 2025-10-09" means that day in Beijing,
/// whatever zone a server runs in.
public enum ChinaTime {
    /// Asia/Shanghai. China has used UTC+8 without daylight saving since 1991,
    /// so a machine without the tz database falls back to a fixed UTC+8.
    public static let timeZone: TimeZone =
        TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!
}

extension LocalDate {
    /// The date that `instant` falls on in `timeZone` (China Standard Time by default).
    /// Traps for an instant outside years 1...9999, as `adding(days:)` does.
    public init(_ instant: Date, in timeZone: TimeZone = ChinaTime.timeZone) {
        self = LocalDateTime(instant, in: timeZone).date
    }

    /// The instant this date begins (00:00) in `timeZone`.
    public func startOfDay(in timeZone: TimeZone = ChinaTime.timeZone) -> Date {
        LocalDateTime(uncheckedDate: self, hour: 0, minute: 0, second: 0).instant(in: timeZone)
    }
}
