import Foundation
import ServiceKit

// The registry: the mechanism's member units and their duties, people and
// roles, membership changes and training institutions (DESIGN.md §1). It
// consumes nothing; other services learn it from its events.
await ServiceBootstrap.run(
    ServiceDescriptor(
        name: "registry", defaultPort: 8081,
        migrations: Bundle.module.url(forResource: "Migrations", withExtension: nil))
) { assembly in
    try await Seeder.run(try MechanismSeed.bundled(), pool: assembly.pool, at: assembly.now(), logger: assembly.logger)
    let (pool, now) = (assembly.pool, assembly.now)
    UnitRoutes(pool: pool, now: now).register(on: assembly.router)
    PersonRoutes(pool: pool, now: now).register(on: assembly.router)
    ProposalRoutes(pool: pool, now: now).register(on: assembly.router)
    InstitutionRoutes(pool: pool, now: now).register(on: assembly.router)
}
