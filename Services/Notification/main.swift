import Foundation
import ServiceKit

// The notification service: the registry's directory, routing rules that
// turn events into notifications, the in-app inbox with 签收, deliveries to
// webhooks, DingTalk and WeCom robots and an SMS gateway, and escalation of
// unacknowledged letters (DESIGN.md §1).
await ServiceBootstrap.run(
    ServiceDescriptor(
        name: "notification", defaultPort: 8084,
        migrations: Bundle.module.url(forResource: "Migrations", withExtension: nil))
) { assembly in
    // Refuse to start on bad rules or a missing key: every problem named.
    let rules = try RoutingRules.bundled()
    let secrets = try SecretBox.fromEnvironment()
    let workerConfiguration = try DeliveryWorkerConfiguration(environment: ProcessInfo.processInfo.environment)
    let pool = assembly.pool
    let now = assembly.now

    assembly.consume(
        group: "notification", topics: NotificationHandlers.topics,
        handlers: NotificationHandlers.make(rules: rules, clock: now, logger: assembly.logger))
    assembly.services.append(DeliveryWorker(
        pool: pool, secrets: secrets, configuration: workerConfiguration, now: now, logger: assembly.logger))
    assembly.services.append(EscalationScanner(pool: pool, texts: rules.escalation, now: now, logger: assembly.logger))

    InboxRoutes(pool: pool, now: now).register(on: assembly.router)
    DeliveryRoutes(pool: pool, now: now).register(on: assembly.router)
    ChannelRoutes(pool: pool, seal: { secrets.seal($0) }, now: now).register(on: assembly.router)
}
