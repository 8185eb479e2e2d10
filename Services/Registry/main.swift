import Foundation
import ServiceKit

// The registry service. Its features arrive with their issues; for now it starts,
// migrates its database, answers /health/live and stops cleanly on SIGTERM.
await ServiceBootstrap.run(
    ServiceDescriptor(
        name: "registry", defaultPort: 8081,
        migrations: Bundle.module.url(forResource: "Migrations", withExtension: nil)))
