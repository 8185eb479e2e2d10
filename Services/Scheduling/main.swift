import Foundation
import ServiceKit

// The scheduling service. Its features arrive with their issues; for now it starts,
// migrates its database, answers /health/live, /health/ready and /metrics, and
// stops cleanly on SIGTERM. Routes, consumers and the relay are added in the
// setup closure (see ServiceAssembly).
await ServiceBootstrap.run(
    ServiceDescriptor(
        name: "scheduling", defaultPort: 8082,
        migrations: Bundle.module.url(forResource: "Migrations", withExtension: nil))
) { _ in }
