import Domain
import Foundation
import ServiceKit

// The notification service: the registry's directory, routing rules that
// turn events into notifications, the in-app inbox with 签收, deliveries to
// webhooks, DingTalk and WeCom robots and an SMS gateway, and escalation of
// unacknowledged letters (DESIGN.md §1).
await ServiceBootstrap.run(
    ServiceDescriptor(
        name: "notification", defaultPort: 8084,
        migrations: Bundle.module.url(forResource: "Migrations", withExtension: nil)),
    // Before the database: a missing key or bad rules stop the service with exit 78.
    settings: { NotificationSettings.read(&$0) }
) { assembly, settings in
    let pool = assembly.pool
    let now = assembly.now
    let secrets = settings.secrets

    assembly.consume(
        .notification, handlers: NotificationHandlers.make(rules: settings.rules, clock: now, logger: assembly.logger))
    assembly.services.append(DeliveryWorker(
        pool: pool, secrets: secrets, configuration: settings.delivery, now: now, logger: assembly.logger))
    assembly.services.append(EscalationScanner(pool: pool, texts: settings.rules.escalation, now: now, logger: assembly.logger))

    InboxRoutes(pool: pool, now: now).register(on: assembly.router)
    DeliveryRoutes(pool: pool, now: now).register(on: assembly.router)
    ChannelRoutes(pool: pool, seal: { secrets.seal($0) }, now: now).register(on: assembly.router)
}
