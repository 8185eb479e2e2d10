import Domain

/// A date as official Chinese text writes it: 2026年12月7日.
enum ChineseDate {
    static func text(_ date: LocalDate) -> String {
        "\(date.year)年\(date.month)月\(date.day)日"
    }
}
