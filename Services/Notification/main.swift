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

    // A burst of events (letters to many units) spreads over the partitions:
    // up to 4 are applied at once, each in its own transaction (`make bench`).
    assembly.consume(
        .notification, handlers: NotificationHandlers.make(rules: settings.rules, clock: now, logger: assembly.logger)
    ) { $0.partitionConcurrency = 4 }
    // The HTTP client before the worker: services stop in reverse order, so
    // the worker cancels its sends and stops, then the client shuts down.
    let http = OutboundHTTPClient(configuration: settings.http)
    assembly.services.append(http)
    assembly.services.append(DeliveryWorker(
        pool: pool, secrets: secrets, senders: ChannelSenders(http: http), configuration: settings.delivery, now: now,
        logger: assembly.logger))
    assembly.services.append(EscalationScanner(pool: pool, texts: settings.rules.escalation, now: now, logger: assembly.logger))

    InboxRoutes(pool: pool, now: now).register(on: assembly.router)
    DeliveryRoutes(pool: pool, now: now).register(on: assembly.router)
    ChannelRoutes(
        pool: pool, seal: { secrets.seal($0, for: $1) }, endpoints: EndpointGuard(allowPrivate: settings.allowPrivateEndpoints),
        now: now
    ).register(on: assembly.router)
}
