import Foundation
import Logging
import ServiceLifecycle
import Testing
import TestSupport
@testable import Notification

/// Graceful shutdown cancels the sends in flight: the worker does not wait
/// for a hanging endpoint, and the delivery is handed back unsent — no
/// attempt counted — for the next worker, which sends it with the same key.
@Suite struct DeliveryShutdownTests {
    @Test func shutdownCancelsAnInFlightSend() async throws {
        try await DeliveryDatabase.with { db in
            try await HTTPSink.with { sink in
                // Held until released, which this test never does before shutdown:
                // the send can only end by being cancelled (its timeout is 10 minutes).
                sink.script("/hang", [.init(held: true)])
                let clock = DeliveryTestClock()
                let hanging = try await db.addRecipient(channel: .webhook, endpoint: sink.url("/hang"), at: clock.now())
                let http = db.httpClient(timeout: .seconds(600))
                let worker = db.worker(clock: clock, sendTimeout: .seconds(600), http: http)
                var logger = Logger(label: "group")
                logger.logLevel = .critical
                // As main.swift orders them: the client first, so it stops after the worker.
                let group = ServiceGroup(configuration: .init(services: [http, worker], logger: logger))
                try await withThrowingTaskGroup(of: Void.self) { tasks in
                    tasks.addTask { try await group.run() }
                    #expect(try await eventually(timeout: .seconds(60)) { !sink.requests(to: "/hang").isEmpty })
                    await group.triggerGracefulShutdown()
                    try await tasks.waitForAll()
                }
                let row = try await db.delivery(hanging.delivery)
                #expect(row.state == "pending")
                #expect(row.attempts == 0)
                #expect(row.leaseUntil == nil, "handed back, not left to its lease")
                #expect(try await db.attempts(hanging.delivery).isEmpty)
                #expect(try await db.events(hanging.delivery).isEmpty)

                // The next worker sends it again at once, with the same key.
                #expect(try await db.worker(clock: clock).processDue() == 1)
                #expect(try await db.delivery(hanging.delivery).state == "sent")
                let keys = sink.requests(to: "/hang").compactMap { $0.header("Idempotency-Key") }
                #expect(keys.count == 2 && Set(keys).count == 1)
                sink.release("/hang")
            }
        }
    }
}
