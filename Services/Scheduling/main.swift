import Directory
import Domain
import Foundation
import ServiceKit

// The scheduling service: the mechanism's working desk (issue 11). Tasks
// with their reports, attachments and timers; meetings (会议决策制度) with
// their minutes, whose decisions become tasks, the cadence watch and
// iCalendar feeds; its directory of units and people learned from the
// registry's topics (Shared/Directory), which also gives every admitted unit
// its 工作方案 task; 督办函 and 协调函 with their numbering, 签收, reports,
// timers and 再次督办; unit statistics.
await ServiceBootstrap.run(
    ServiceDescriptor(
        name: "scheduling", defaultPort: 8082,
        migrations: Bundle.module.url(forResource: "Migrations", withExtension: nil),
        modules: [ModuleSchema(name: "directory") { try await DirectorySchema.migrate($0, logger: $1) }]),
    settings: { ServiceSettings.read(&$0) }
) { assembly, both in
    let (settings, meetingSettings) = (both.tasks, both.meetings)
    let (pool, now) = (assembly.pool, settings.clockOffset.clock(assembly.now))
    if settings.clockOffset != .none {
        assembly.logger.warning(
            "the service's clock is moved from the wall clock (a local stack only)",
            metadata: ["seconds": "\(settings.clockOffset.seconds)", "setting": "\(LocalClockOffset.name)"])
    }
    TaskRoutes(pool: pool, now: now, deadlines: settings.deadlines).register(on: assembly.router)
    TaskReportRoutes(pool: pool, now: now, attachmentMaxBytes: settings.attachmentMaxBytes).register(on: assembly.router)

    let directory = MeetingDirectoryStore.directory(pool)
    let calendar = settings.deadlines.calendar
    MeetingRoutes(
        pool: pool, now: now, directory: directory, settings: meetingSettings, calendar: calendar,
        decisionTasks: .tasks(deadlines: settings.deadlines)
    ).register(on: assembly.router)
    AdHocRequestRoutes(pool: pool, now: now, directory: directory).register(on: assembly.router)
    MeetingSeriesRoutes(pool: pool, now: now, calendar: calendar, settings: meetingSettings).register(on: assembly.router)
    CalendarFeedRoutes(pool: pool, now: now, directory: directory, settings: meetingSettings).register(on: assembly.router)

    assembly.services.append(
        TaskTimerWorker(
            pool: pool, interval: settings.timerInterval, now: now, logger: assembly.logger, letters: settings.letters))
    assembly.services.append(
        MeetingWatcher(pool: pool, calendar: calendar, settings: meetingSettings, now: now, logger: assembly.logger))
    assembly.consume(.scheduling, handlers: SchedulingHandlers.make(settings: settings, clock: now))
    assembly.services.append(LetterDeadlineWorker(pool: pool, settings: settings.letters, now: now, logger: assembly.logger))
    LetterRoutes(pool: pool, settings: settings.letters, now: now).register(on: assembly.router)
    LetterAttachmentRoutes(pool: pool, now: now, upload: AttachmentUpload(maxBytes: settings.attachmentMaxBytes))
        .register(on: assembly.router)
    StatisticsRoutes(pool: pool, now: now, calendar: calendar, officeHours: settings.deadlines.officeHours)
        .register(on: assembly.router)
}
