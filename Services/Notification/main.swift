import Foundation
import ServiceKit

// The notification service. Its features arrive with their issues; for now it starts,
// migrates its database, answers /health/live, /health/ready and /metrics, and
// stops cleanly on SIGTERM. Routes, consumers and the relay are added in the
// setup closure (see ServiceAssembly).
await ServiceBootstrap.run(
    ServiceDescriptor(
        name: "notification", defaultPort: 8084,
        migrations: Bundle.module.url(forResource: "Migrations", withExtension: nil))
) { _ in }
