import Foundation
import ServiceKit

// The scheduling service. Its features arrive with their issues; for now it starts,
// migrates its database, answers /health/live, /health/ready and /metrics, and
// stops cleanly on SIGTERM. Every service already
// runs its outbox relay (ServiceBootstrap); routes and consumers are added in
// the setup closure (see ServiceAssembly and docs/architecture.md).
await ServiceBootstrap.run(
    ServiceDescriptor(
        name: "scheduling", defaultPort: 8082,
        migrations: Bundle.module.url(forResource: "Migrations", withExtension: nil))
) { _ in }
