import Domain
import Foundation
import ServiceKit

/// What the scheduling service reads besides the common configuration,
/// checked at start (a bad value stops it with exit 78 naming the variable).
struct SchedulingSettings: Sendable {
    /// `SJ_SCHEDULING_REMINDER_WORKING_DAYS`: reminders this many working
    /// days before a task's due date, comma-separated (default `3,1`).
    var reminderDays: [Int]
    /// `SJ_SCHEDULING_WORK_PLAN_WORKING_DAYS`: an admitted unit's 工作方案
    /// is due this many working days after its admission reaches this service (default 20).
    var workPlanWorkingDays: Int
    /// `SJ_SCHEDULING_ATTACHMENT_MAX_BYTES`: the largest file a report may carry (default 20 MiB).
    var attachmentMaxBytes: Int
    /// `SJ_SCHEDULING_TIMER_INTERVAL_SECONDS`: how often the timers are checked (default 15).
    var timerInterval: Duration
    /// The letters' numbering, reply deadline, reminder and policy (`SJ_LETTER_*`).
    var letters: LetterSettings = .standard
    /// `SJ_SCHEDULING_CLOCK_OFFSET_SECONDS`: a local stack's clock moved (default none).
    var clockOffset: LocalClockOffset = .none

    static let defaults = SchedulingSettings(
        reminderDays: [3, 1], workPlanWorkingDays: 20, attachmentMaxBytes: AttachmentUpload.defaultMaxBytes, timerInterval: .seconds(15))

    static func read(_ reader: inout EnvironmentReader) -> SchedulingSettings? {
        var settings = defaults
        let name = "SJ_SCHEDULING_REMINDER_WORKING_DAYS"
        if let raw = reader.optionalString(name) {
            let days = raw.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            if days.isEmpty || days.contains(where: { $0 == nil || !(1...60).contains($0!) }) {
                reader.problem("\(name)=\(raw) is not a comma-separated list of working days in 1...60")
            } else {
                settings.reminderDays = Array(Set(days.compactMap { $0 })).sorted(by: >)
            }
        }
        settings.workPlanWorkingDays = reader.integer("SJ_SCHEDULING_WORK_PLAN_WORKING_DAYS", default: 20, in: 1...250)
        settings.attachmentMaxBytes = reader.integer(
            "SJ_SCHEDULING_ATTACHMENT_MAX_BYTES", default: AttachmentUpload.defaultMaxBytes, in: AttachmentUpload.maxBytesRange)
        settings.timerInterval = .seconds(reader.integer("SJ_SCHEDULING_TIMER_INTERVAL_SECONDS", default: 15, in: 1...3600))
        settings.letters = LetterSettings.read(&reader) ?? .standard
        settings.clockOffset = LocalClockOffset.read(&reader)
        return reader.problems.isEmpty ? settings : nil
    }

    /// The deadlines' rules: the shared calendar, the county's office hours, these reminders.
    var deadlines: TaskDeadlines {
        TaskDeadlines(calendar: .china, officeHours: .county, reminderDays: reminderDays)
    }
}
