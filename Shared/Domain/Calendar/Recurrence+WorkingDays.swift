/// Occurrences moved off days when nobody is in the office.
extension Recurrence {
    /// What to do with an occurrence that falls on a non-working day.
    public enum NonWorkingDayHandling: Sendable {
        /// Keep it where the rule puts it.
        case keep
        /// Move it to the next working day of the calendar, same time of day.
        case moveToNextWorkingDay(WorkingDayCalendar)
    }

    /// One meeting of the series.
    public struct Occurrence: Sendable, Hashable {
        /// Where the rule puts it (what EXDATE, COUNT and UNTIL apply to).
        public let scheduled: LocalDateTime
        /// When it takes place: `scheduled`, or the next working day at the same time.
        public let start: LocalDateTime
        /// Whether the working-day calendar this rests on is provisional for
        /// the days looked at; always false with `.keep`.
        public let isProvisional: Bool

        public var isMoved: Bool { start != scheduled }
    }

    /// The occurrences whose (possibly moved) date is in `from...through`, at most `limit` of them.
    ///
    /// The rule is expanded first, as RFC 5545 says (COUNT counts, UNTIL bounds
    /// and EXDATE removes the rule's own dates), and only then is each remaining
    /// occurrence moved. Moving never goes backwards, and an occurrence moved
    /// onto the day of the one before it (BYDAY=MO,TU with both days off) is
    /// merged into it rather than doubled, so the result is strictly
    /// increasing and may hold fewer meetings than COUNT.
    ///
    /// At least one of `through`, `limit` or the rule's COUNT/UNTIL must bound
    /// the result. Throws if a date to look at is in a year the calendar does
    /// not cover (never with `.keep`).
    public func occurrences(
        from: LocalDate? = nil, through: LocalDate? = nil, limit: Int? = nil,
        nonWorkingDays handling: NonWorkingDayHandling = .keep
    ) throws(CalendarError) -> [Occurrence] {
        precondition(through != nil || limit != nil || rule.end != .never,
                     "an endless recurrence needs `through` or `limit`")
        if let limit, limit <= 0 { return [] }
        // A run of days off is well under a month, so an occurrence scheduled a
        // month before `from` cannot be moved into the window: skip it unmoved.
        let lookBack = from.map { $0.canAdd(days: -31) ? $0.adding(days: -31) : $0 }

        var result: [Occurrence] = []
        var previous: LocalDate?
        for scheduled in occurrences {
            if let through, scheduled.date > through { break }
            if let lookBack, scheduled.date < lookBack { continue }
            let occurrence: Occurrence
            switch handling {
            case .keep:
                occurrence = Occurrence(scheduled: scheduled, start: scheduled, isProvisional: false)
            case .moveToNextWorkingDay(let calendar):
                let day = try calendar.nextWorkingDay(onOrAfter: scheduled.date)
                occurrence = Occurrence(scheduled: scheduled, start: scheduled.on(day.value), isProvisional: day.isProvisional)
            }
            defer { previous = occurrence.start.date }
            if let previous, occurrence.start.date <= previous { continue }   // merged into the one before
            if let through, occurrence.start.date > through { break }
            if let from, occurrence.start.date < from { continue }
            result.append(occurrence)
            if let limit, result.count >= limit { break }
        }
        return result
    }
}
