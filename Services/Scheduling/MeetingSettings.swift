import Domain
import Foundation
import ServiceKit

/// The meetings part's configuration (environment variables, read at start).
struct MeetingSettings: Sendable {
    /// SJ_MEETING_CADENCE_ALERT_WORKING_DAYS: alert the office and the
    /// conveners this many working days before a cadence is missed (default 10).
    var cadenceAlertWorkingDays = 10
    /// SJ_MEETING_CADENCE_SINCE: the day the cadence is counted from before
    /// the first sitting is held (default the notice's date, 2022-10-25).
    var cadenceSince = "2022-10-25"
    /// SJ_MEETING_CHASE_WORKING_DAYS: units that have not answered are chased
    /// automatically this many working days before the sitting (default 2).
    var chaseWorkingDays = 2
    /// SJ_MINUTES_NUMBER_FORMAT, with `{year}` and `{n}` (default 房双减纪〔{year}〕{n}号).
    var minutesNumber = MinutesNumberFormat.standard
    /// SJ_MEETING_ORGANIZER: the ORGANIZER address of invitations (a URI; default urn:shuangjian:office).
    var organizerAddress = "urn:shuangjian:office"
    /// SJ_PUBLIC_BASE_URL: where calendar clients reach this service, for the feed URLs handed out.
    var publicBaseURL = "http://localhost:8082"

    static func read(_ reader: inout EnvironmentReader) -> MeetingSettings {
        var settings = MeetingSettings()
        settings.cadenceAlertWorkingDays = reader.integer("SJ_MEETING_CADENCE_ALERT_WORKING_DAYS", default: 10, in: 0...120)
        settings.chaseWorkingDays = reader.integer("SJ_MEETING_CHASE_WORKING_DAYS", default: 2, in: 0...30)
        let since = reader.string("SJ_MEETING_CADENCE_SINCE", default: "2022-10-25")
        if LocalDate(since) != nil { settings.cadenceSince = since } else {
            reader.problem("SJ_MEETING_CADENCE_SINCE must be a date like 2022-10-25, not \(since)")
        }
        let format = reader.string("SJ_MINUTES_NUMBER_FORMAT", default: MinutesNumberFormat.standard.format)
        if let parsed = MinutesNumberFormat(validating: format) { settings.minutesNumber = parsed } else {
            reader.problem("SJ_MINUTES_NUMBER_FORMAT must contain {year} and {n}, not \(format)")
        }
        settings.organizerAddress = reader.string("SJ_MEETING_ORGANIZER", default: "urn:shuangjian:office")
        let base = reader.string("SJ_PUBLIC_BASE_URL", default: "http://localhost:8082")
        settings.publicBaseURL = base.hasSuffix("/") ? String(base.dropLast()) : base
        return settings
    }
}

/// Everything the scheduling service reads besides the common configuration:
/// the tasks' settings and the meetings'. Every problem of both is reported.
struct ServiceSettings: Sendable {
    var tasks: SchedulingSettings
    var meetings: MeetingSettings

    static func read(_ reader: inout EnvironmentReader) -> ServiceSettings? {
        let meetings = MeetingSettings.read(&reader)
        guard let tasks = SchedulingSettings.read(&reader) else { return nil }
        return ServiceSettings(tasks: tasks, meetings: meetings)
    }
}
