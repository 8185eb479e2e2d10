import Domain
import Foundation
import ServiceKit

// The inspection service: county signals (Kafka `county.events` and
// POST /v1/signals), risk judgement over a sliding window, early warnings
// (预警) with their responsible units, handling steps and the office's acts
// (专题研判制度), joint inspections (联合指导检查制度: campaigns, working
// groups, 双随机 draws, checklists, findings and their re-checks), and its
// read model of the registry (issue 12).
await ServiceBootstrap.run(
    ServiceDescriptor(
        name: "inspection", defaultPort: 8083,
        migrations: Bundle.module.url(forResource: "Migrations", withExtension: nil), modules: [.directory]),
    // Before the database: bad scoring rules stop the service with exit 78.
    settings: { InspectionSettings.read(&$0) }
) { assembly, settings in
    let (pool, now) = (assembly.pool, assembly.now)
    let intake = SignalIntake(rules: settings.rules, calendar: settings.calendar, now: now)
    // County signals come in bursts: big batches (one set of statements per
    // run of signals) and up to three partitions applied at once, each on its
    // own connection, so PostgreSQL and the service work at the same time
    // (scripts/bench-inspection.sh; docs/operations.md).
    assembly.consume(.inspection, handlers: InspectionHandlers.make(intake: intake)) { consumer in
        consumer.kafka.maxBatch = 2_000
        consumer.partitionConcurrency = 3
    }
    SignalRoutes(pool: pool, intake: intake).register(on: assembly.router)
    WarningRoutes(pool: pool, rules: settings.rules, calendar: settings.calendar, now: now).register(on: assembly.router)
    // Joint inspections (联合指导检查).
    CampaignRoutes(pool: pool, now: now).register(on: assembly.router)
    DrawRoutes(pool: pool, checklist: settings.institutionChecklist, now: now).register(on: assembly.router)
    InspectionRoutes(pool: pool, calendar: settings.calendar, checklist: settings.institutionChecklist, now: now)
        .register(on: assembly.router)
    EvidenceRoutes(pool: pool, upload: AttachmentUpload(maxBytes: settings.evidenceMaxBytes), now: now)
        .register(on: assembly.router)
    FindingRoutes(pool: pool, calendar: settings.calendar, now: now).register(on: assembly.router)
    CampaignReportRoutes(pool: pool, now: now).register(on: assembly.router)
    InspectionStatisticsRoutes(pool: pool).register(on: assembly.router)
}
