import Directory
import Foundation
import ServiceKit

// The scheduling service: the mechanism's working desk (issue 11). Tasks
// with their reports, attachments and timers; its directory of units and
// people learned from the registry's topics (Shared/Directory), which also
// gives every admitted unit its 工作方案 task; 督办函 and 协调函 with their
// numbering, 签收, reports, timers and 再次督办; unit statistics. Meetings join it.
await ServiceBootstrap.run(
    ServiceDescriptor(
        name: "scheduling", defaultPort: 8082,
        migrations: Bundle.module.url(forResource: "Migrations", withExtension: nil),
        modules: [ModuleSchema(name: "directory") { try await DirectorySchema.migrate($0, logger: $1) }]),
    settings: { SchedulingSettings.read(&$0) }
) { assembly, settings in
    let (pool, now) = (assembly.pool, assembly.now)
    TaskRoutes(pool: pool, now: now, deadlines: settings.deadlines).register(on: assembly.router)
    TaskReportRoutes(pool: pool, now: now, attachmentMaxBytes: settings.attachmentMaxBytes).register(on: assembly.router)
    assembly.services.append(
        TaskTimerWorker(
            pool: pool, interval: settings.timerInterval, now: now, logger: assembly.logger, letters: settings.letters))
    assembly.consume(.scheduling, handlers: SchedulingHandlers.make(settings: settings, clock: now))
    assembly.services.append(LetterDeadlineWorker(pool: pool, settings: settings.letters, now: now, logger: assembly.logger))
    LetterRoutes(pool: pool, settings: settings.letters, now: now).register(on: assembly.router)
    StatisticsRoutes(pool: pool, now: now).register(on: assembly.router)
}
