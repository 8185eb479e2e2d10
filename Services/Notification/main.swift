import Foundation
import ServiceKit

// The notification service. Its features arrive with their issues; for now it starts,
// migrates its database, answers /health/live and stops cleanly on SIGTERM.
await ServiceBootstrap.run(
    ServiceDescriptor(
        name: "notification", defaultPort: 8084,
        migrations: Bundle.module.url(forResource: "Migrations", withExtension: nil)))
