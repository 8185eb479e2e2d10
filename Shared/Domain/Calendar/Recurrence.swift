import Foundation

/// A recurring meeting's schedule: DTSTART (a wall-clock time in Asia/Shanghai),
/// an RRULE and EXDATEs, as an .ics VEVENT carries them.
///
/// Occurrences follow RFC 5545: DTSTART is always the first occurrence; the
/// rule's later dates keep DTSTART's time of day; COUNT counts occurrences
/// from DTSTART on, before EXDATEs are removed (so `COUNT=4` with one EXDATE
/// gives three meetings); UNTIL is inclusive.
public struct Recurrence: Sendable, Hashable {
    /// DTSTART.
    public var start: LocalDateTime
    public var rule: RecurrenceRule
    /// EXDATE: occurrences to leave out, matched against the rule's own
    /// date-times (before any working-day move).
    public var exceptionDates: [LocalDateTime]
    /// The zone of `start` and of the occurrences; UNTIL in UTC is compared in it.
    public var timeZone: TimeZone

    public init(start: LocalDateTime, rule: RecurrenceRule, exceptionDates: [LocalDateTime] = [],
                timeZone: TimeZone = ChinaTime.timeZone) {
        self.start = start
        self.rule = rule
        self.exceptionDates = exceptionDates
        self.timeZone = timeZone
    }

    /// Leaves out the occurrence on `date` (at DTSTART's time of day).
    public mutating func exclude(_ date: LocalDate) {
        exceptionDates.append(start.on(date))
    }

    /// The occurrences in order, lazily: EXDATEs skipped, COUNT and UNTIL
    /// applied, not moved off non-working days. Endless for a rule without
    /// COUNT or UNTIL (until year 9999), so take a prefix.
    public var occurrences: Occurrences { Occurrences(recurrence: self) }

    /// A lazy sequence of occurrence start times.
    public struct Occurrences: Sequence, Sendable {
        let recurrence: Recurrence

        public func makeIterator() -> Iterator { Iterator(recurrence) }

        public struct Iterator: IteratorProtocol {
            private let recurrence: Recurrence
            private let excluded: Set<LocalDateTime>
            private var dates: RecurrenceRule.DateIterator
            private var counted = 0
            private var startDone = false
            private var finished = false

            init(_ recurrence: Recurrence) {
                self.recurrence = recurrence
                excluded = Set(recurrence.exceptionDates)
                dates = RecurrenceRule.DateIterator(rule: recurrence.rule, start: recurrence.start.date)
            }

            public mutating func next() -> LocalDateTime? {
                while !finished {
                    let candidate: LocalDateTime
                    if !startDone {
                        startDone = true
                        candidate = recurrence.start
                    } else {
                        guard let date = dates.next() else { finished = true; return nil }
                        if date <= recurrence.start.date { continue }   // DTSTART itself, or before it
                        candidate = recurrence.start.on(date)
                    }
                    guard recurrence.isWithinEnd(candidate, counted: counted) else { finished = true; return nil }
                    counted += 1
                    if excluded.contains(candidate) { continue }
                    return candidate
                }
                return nil
            }
        }
    }

    /// Whether the occurrence after `counted` earlier ones, at `time`, is inside COUNT/UNTIL.
    func isWithinEnd(_ time: LocalDateTime, counted: Int) -> Bool {
        switch rule.end {
        case .never: true
        case .count(let count): counted < count
        case .until(.date(let last)): time.date <= last
        case .until(.localTime(let last)): time <= last
        case .until(.utc(let last)): time.instant(in: timeZone) <= last
        }
    }
}
