import Domain
import EventFlow
import Foundation
import Postgres

/// The writes that go with issuing a letter, shared by the office's call,
/// the overdue-task policy and the 再次督办 timer: take the next number of the
/// letter's kind and year (locked until COMMIT: gapless), let the letter
/// issue itself, set each unit's timers, and name the `letter.issued`
/// events. Runs in the caller's transaction, on a locked or new letter.
enum LetterIssuing {
    static func issue(
        _ letter: inout Letter, by actor: String, at time: Date, settings: LetterSettings,
        on connection: PostgresConnection
    ) async throws -> [OutboxEvent] {
        guard letter.status == .draft else {
            throw LetterTransitionError.letterNotAllowed(action: .issue, status: letter.status)
        }
        let year = LocalDate(time).year
        let sequence = try await LetterNumberStore.next(letter.kind, year: year, on: connection)
        try letter.issue(
            by: actor, at: time, number: settings.numberFormat.number(letter.kind, year: year, sequence: sequence),
            calendar: settings.calendar)
        for track in letter.addressees {
            try await scheduleTimers(letter, track.unitId, settings: settings, now: time, on: connection)
        }
        return try LetterEvent.issued(letter, at: time)
    }

    /// `unitId`'s reminder (`reminderWorkingDays` working days before its
    /// due date, at the start of office hours) and overdue mark (the end of
    /// the due date), China time.
    static func scheduleTimers(
        _ letter: Letter, _ unitId: String, settings: LetterSettings, now: Date, on connection: PostgresConnection
    ) async throws {
        guard let due = letter.addressee(unitId)?.replyDue else { return }
        var reminderAt: Date?
        if settings.reminderWorkingDays > 0,
            let day = try? settings.calendar.addingWorkingDays(-settings.reminderWorkingDays, to: due).value
        {
            reminderAt = (try? LocalDateTime(date: day, hour: 8, minute: 30))?.instant(in: ChinaTime.timeZone)
        }
        try await LetterTimerStore.schedule(
            letterId: letter.id, unitId: unitId, reminderAt: reminderAt, overdueAt: Letter.endOf(due), now: now,
            on: connection)
    }
}
