import Domain
import Foundation
import ServiceKit

/// The letters' configuration (issue 11: the number format is configuration,
/// the reply deadline has a configurable default), read at start; a bad
/// value stops the service naming it.
struct LetterSettings: Sendable {
    var numberFormat: LetterNumberFormat
    /// `SJ_LETTER_REPLY_WORKING_DAYS`: working days a unit has to report, when a letter does not say.
    var replyWorkingDays: Int
    /// `SJ_LETTER_REMINDER_WORKING_DAYS`: how many working days before the due date "reply due soon" goes out.
    var reminderWorkingDays: Int
    /// `SJ_LETTER_AUTO_ISSUE_OVERDUE`: issue the 督办函 prepared for an overdue
    /// task at once instead of leaving the draft for the office.
    var autoIssueOverdueTaskLetters: Bool
    /// `SJ_LETTER_SCAN_INTERVAL_SECONDS`: how often the timers are looked at.
    var scanInterval: Duration
    var calendar: WorkingDayCalendar

    static let standard = LetterSettings(
        numberFormat: .standard, replyWorkingDays: 5, reminderWorkingDays: 1, autoIssueOverdueTaskLetters: false,
        scanInterval: .seconds(30), calendar: .china)

    /// nil after recording each problem in `reader`.
    static func read(_ reader: inout EnvironmentReader) -> LetterSettings? {
        let format = LetterNumberFormat(
            supervision: reader.string("SJ_LETTER_NUMBER_FORMAT_SUPERVISION", default: LetterNumberFormat.standard.supervision),
            coordination: reader.string(
                "SJ_LETTER_NUMBER_FORMAT_COORDINATION", default: LetterNumberFormat.standard.coordination))
        let problems = format.problems()
        for problem in problems { reader.problem(problem) }
        let reply = reader.integer("SJ_LETTER_REPLY_WORKING_DAYS", default: 5, in: 1...60)
        let reminder = reader.integer("SJ_LETTER_REMINDER_WORKING_DAYS", default: 1, in: 0...20)
        let autoIssue = reader.optionalBool("SJ_LETTER_AUTO_ISSUE_OVERDUE") ?? false
        let interval = reader.integer("SJ_LETTER_SCAN_INTERVAL_SECONDS", default: 30, in: 1...3600)
        guard problems.isEmpty else { return nil }
        return LetterSettings(
            numberFormat: format, replyWorkingDays: reply, reminderWorkingDays: reminder,
            autoIssueOverdueTaskLetters: autoIssue, scanInterval: .seconds(interval), calendar: .china)
    }
}
