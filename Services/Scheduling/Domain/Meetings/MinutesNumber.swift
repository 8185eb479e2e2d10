import Foundation

/// The minutes' number, e.g. 房双减纪〔2026〕1号, from a configured format with
/// `{year}` and `{n}` (SJ_MINUTES_NUMBER_FORMAT), numbered per year without gaps.
struct MinutesNumberFormat: Sendable, Equatable {
    var format: String

    static let standard = MinutesNumberFormat(format: "房双减纪〔{year}〕{n}号")

    init(format: String) { self.format = format }

    /// Nil unless the format names both `{year}` and `{n}`.
    init?(validating format: String) {
        guard format.contains("{year}"), format.contains("{n}") else { return nil }
        self.format = format
    }

    func number(year: Int, sequence: Int) -> String {
        format.replacingOccurrences(of: "{year}", with: String(year)).replacingOccurrences(of: "{n}", with: String(sequence))
    }
}
