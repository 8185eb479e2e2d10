import Foundation
import Postgres
import TestSupport
import Testing

/// `sjctl outbox requeue` across processes, the way `make run` needs it: a
/// service's relay published its events to a dev broker; one consumer applied
/// them all, another only some; the broker stopped and forgot them. After the
/// requeue, the relay publishes them again to a new broker: the consumer that
/// missed some applies each of those once, in order, and the one that had
/// applied them all applies none twice.
@Suite struct OutboxRequeueFlowTests {
    static let partitions = 3

    @Test func eventsABrokerForgotReachAConsumerThatMissedThemOnceAndNoneAppliesTwice() async throws {
        let world = try OutboxRequeueWorld()
        defer { world.stopAll() }
        let service = try await world.probeDatabase()
        let complete = try await world.probeDatabase()  // a consumer that applies everything of the first run
        let behind = try await world.probeDatabase()  // one that stops half-way through it
        let completeGroup = "requeue-complete-\(UUID().uuidString.prefix(6).lowercased())"
        let behindGroup = "requeue-behind-\(UUID().uuidString.prefix(6).lowercased())"
        let servicePool = CtlDatabases.pool(service), completePool = CtlDatabases.pool(complete), behindPool = CtlDatabases.pool(behind)
        defer { Task { await servicePool.close(); await completePool.close(); await behindPool.close() } }
        func applied(_ pool: PostgresPool) async throws -> Int {
            try await pool.count("SELECT count(*)::int FROM probe_applied WHERE key NOT LIKE 'marker-%'")
        }

        // The first run.
        let first = try await world.startBroker(partitions: Self.partitions)
        var relay = try world.startRelay(database: service, brokers: first.brokers)
        var behindConsumer = try world.startConsumer(database: behind, group: behindGroup, brokers: first.brokers)
        try await world.write(20, database: service)
        try await waitUntil("the second consumer applied the first 20", timeout: .seconds(90)) { try await applied(behindPool) == 20 }
        await world.stop(behindConsumer)
        try await world.write(20, database: service)
        var completeConsumer = try world.startConsumer(database: complete, group: completeGroup, brokers: first.brokers)
        try await waitUntil("the first consumer applied all 40", timeout: .seconds(90)) { try await applied(completePool) == 40 }
        await world.stop(completeConsumer)
        await world.stop(relay)
        // Ctrl-C: the broker goes, and with it every record and committed offset.
        await world.stop(first.process)
        // Written while nothing runs: the next relay publishes it for the first time.
        try await world.write(5, database: service)
        #expect(try await servicePool.count("SELECT count(*)::int FROM outbox WHERE published_at IS NOT NULL") == 40)

        // The next run: a new, empty broker; the requeue, then the processes.
        let second = try await world.startBroker(partitions: Self.partitions)
        let requeue = try await sjctl(["outbox", "requeue", "--database-url", service])
        #expect(requeue.status == 0, "\(requeue)")
        #expect(requeue.stdout.contains("re-queued 40 published outbox rows"), "\(requeue)")
        #expect(requeue.stdout.contains("5 were not published yet"), "\(requeue)")
        relay = try world.startRelay(database: service, brokers: second.brokers)
        completeConsumer = try world.startConsumer(database: complete, group: completeGroup, brokers: second.brokers)
        behindConsumer = try world.startConsumer(database: behind, group: behindGroup, brokers: second.brokers)
        try await waitUntil("the relay published all 45", timeout: .seconds(90)) {
            try await servicePool.count("SELECT count(*)::int FROM outbox WHERE published_at IS NULL") == 0
        }
        let markers = try await world.sendMarkers(partitions: Self.partitions, brokers: second.brokers)
        for (name, pool) in [("the first consumer", completePool), ("the second consumer", behindPool)] {
            try await waitUntil("\(name) applied every marker", timeout: .seconds(90)) {
                try await pool.count("SELECT count(*)::int FROM probe_applied WHERE event_id = ANY(\(markers))") == markers.count
            }
        }

        // Each consumer applied each of the service's 45 events once: the
        // 20 the second had, and the 40 the first had, not again.
        let published = Set(try await servicePool.query("SELECT id::text FROM outbox").map { try $0.decode(0, as: String.self) })
        #expect(published.count == 45)
        for (name, pool) in [("first", completePool), ("second", behindPool)] {
            let ids = try await pool.query("SELECT event_id FROM probe_applied WHERE key NOT LIKE 'marker-%'").map {
                try $0.decode(0, as: String.self)
            }
            #expect(ids.count == 45, "the \(name) consumer applied \(ids.count) events")
            #expect(Set(ids) == published, "the \(name) consumer")
            // Per key in order: each version right after the one before, none skipped, none repeated.
            #expect(try await pool.count("SELECT count(*)::int FROM probe_violations") == 0, "the \(name) consumer")
        }
        // What the inboxes saw: the first consumer skipped the 40 copies.
        #expect(try await completePool.count("SELECT count(*)::int FROM inbox WHERE consumer = \(completeGroup)") == 45 + markers.count)
        #expect(try await behindPool.count("SELECT count(*)::int FROM inbox WHERE consumer = \(behindGroup)") == 45 + markers.count)
        // Each row was published once since it was re-queued (attempts start again from 0).
        #expect(try await servicePool.count("SELECT count(*)::int FROM outbox WHERE attempts <> 1") == 0)

        for process in [relay, completeConsumer, behindConsumer, second.process] { await world.stop(process) }
    }
}
