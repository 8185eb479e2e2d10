import Domain

extension LocalDate {
    /// The same day `months` calendar months later, clamped to the month's
    /// last day (08-31 + 6 months = 02-28/29), as "half a year after" is read.
    func adding(months: Int) -> LocalDate {
        let total = year * 12 + (month - 1) + months
        let (newYear, newMonth) = (total / 12, total % 12 + 1)
        var day = self.day
        while day > 28 {
            if let date = try? LocalDate(year: newYear, month: newMonth, day: day) { return date }
            day -= 1
        }
        // A day ≤ 28 exists in every month of a supported year.
        return (try? LocalDate(year: newYear, month: newMonth, day: day)) ?? self
    }
}
