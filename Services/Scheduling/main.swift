import Foundation
import Directory
import EventFlow
import ServiceKit

// The scheduling service: 督办函 and 协调函 with their numbering, 签收 learned
// from the notification service, reports, timers and 再次督办, and unit
// statistics (issue 11), with the registry's units and people in its
// directory (Shared/Directory). Meetings and tasks arrive with their parts.
await ServiceBootstrap.run(
    ServiceDescriptor(
        name: "scheduling", defaultPort: 8082,
        migrations: Bundle.module.url(forResource: "Migrations", withExtension: nil),
        modules: [ModuleSchema(name: "directory") { pool, logger in try await DirectorySchema.migrate(pool, logger: logger) }]),
    settings: { LetterSettings.read(&$0) }
) { assembly, letters in
    let (pool, now) = (assembly.pool, assembly.now)
    var handlers = EventHandlers()
    DirectoryHandlers.register(into: &handlers)
    AcknowledgementHandlers.register(on: &handlers, now: now, logger: assembly.logger)
    assembly.consume(.scheduling, handlers: handlers)
    assembly.services.append(LetterDeadlineWorker(pool: pool, settings: letters, now: now, logger: assembly.logger))

    LetterRoutes(pool: pool, settings: letters, now: now).register(on: assembly.router)
    StatisticsRoutes(pool: pool, now: now).register(on: assembly.router)
}
