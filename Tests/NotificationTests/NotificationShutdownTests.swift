import Domain
import EventFlow
import Foundation
import Kafka
import Postgres
import ServiceKit
import Testing

/// SIGTERM to a real service under load — the notification process while it
/// consumes a stream of letters and answers HTTP requests: it stops in the
/// documented order (HTTP server → consumers commit → relay drains →
/// producer flushes → pool closes), within SJ_SHUTDOWN_TIMEOUT_SECONDS (no
/// part of it had to be cancelled), exits 0, and leaves every applied event
/// committed and nothing committed unapplied, and its outbox published.
@Suite(.serialized) struct NotificationShutdownTests {
    static let office = Principal(subject: "office-1", role: .office)

    @Test func sigtermUnderLoadStopsInOrderWithEverythingCommitted() async throws {
        let world = try await ServiceWorld.start()
        defer { world.stop() }
        try await world.launch("notification", logLevel: "info", environment: ["SJ_SHUTDOWN_TIMEOUT_SECONDS": "20"])
        let pool = world.pool("notification")
        let office = try world.token(Self.office)

        // A stream of letters straight onto the scheduling topic.
        let total = 3_000
        var records: [KafkaRecord] = []
        for n in 0..<total {
            let letter = UUID().uuidString.lowercased()
            let event = CloudEvent(
                id: UUID().uuidString.lowercased(), source: "/shuangjian/scheduling",
                type: "cn.gov.fangxian.shuangjian.scheduling.letter.issued.v1", subject: letter, time: Date(),
                data: Array(try JSONSerialization.data(withJSONObject: ["letter": [
                    "id": letter, "kind": "supervision", "number": "房双减督〔2026〕\(n + 1)号", "unitId": "education-bureau",
                    "subject": "关于校外培训治理事项的督办函", "replyDue": "2026-12-31",
                ]])))
            records.append(event.kafkaRecord(topic: Topic.schedulingLetters, key: letter))
        }
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(brokers: world.brokers), logger: ServiceWorld.logger)
        for result in await producer.send(records) { _ = try result.get() }
        await producer.close()

        func applied() async throws -> Int {
            try await pool.query("SELECT count(*)::int FROM inbox WHERE consumer = 'notification'")[0].decode(0, as: Int.self)
        }
        // HTTP load beside it, until the server stops answering.
        let requests = Task {
            var answered = 0
            while !Task.isCancelled {
                guard let reply = try? await world.request("notification", "GET", "/v1/deliveries/counts", token: office) else { break }
                if reply.status == 200 { answered += 1 }
            }
            return answered
        }
        try await waitUntil("the consumer working through the letters", timeout: .seconds(120)) { try await applied() >= 300 }
        let process = try #require(world.processes["notification"])
        kill(process.processIdentifier, SIGTERM)
        #expect(await waitForExit(process, timeout: .seconds(60)), "stopped after SIGTERM")
        #expect(process.terminationStatus == 0)
        requests.cancel()
        #expect(await requests.value > 0, "HTTP requests were answered during the load")
        let appliedAtStop = try await applied()
        #expect(appliedAtStop < total, "stopped mid-stream (\(appliedAtStop) of \(total))")

        // The order, from the process's own log lines.
        let lines = world.log("notification").split(separator: "\n").compactMap { line -> String? in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return object["msg"] as? String
        }
        let steps = ["HTTP server stopped", "consumer stopped", "outbox relay stopped", "producer flushed and closed", "database pool closed", "stopped"]
        let positions = steps.map { step in lines.lastIndex(of: step) }
        #expect(positions.allSatisfy { $0 != nil }, "every step logged: \(zip(steps, positions).map { "\($0)=\($1.map(String.init) ?? "-")" })")
        let found = positions.compactMap { $0 }
        #expect(found == found.sorted(), "in this order: \(steps)")
        // "database pool closed" (not "... ran out of time"): the graceful stop
        // fit within SJ_SHUTDOWN_TIMEOUT_SECONDS; nothing was cancelled.
        #expect(!world.log("notification").contains("ran out of time"))

        // Consumers committed: per partition, the committed offset is right after the last applied record.
        let rows = try await pool.query("""
            SELECT kafka_partition, max(kafka_offset)::bigint FROM inbox
            WHERE consumer = 'notification' AND topic = \(Topic.schedulingLetters) GROUP BY kafka_partition
            """)
        let reader = try KafkaPartitionReader(brokers: world.brokers, groupId: "notification", logger: ServiceWorld.logger)
        let partitions = try rows.map { try $0.decode((Int32, Int64).self) }
        let committed = try await reader.committed(topic: Topic.schedulingLetters, partitions: partitions.map(\.0))
        await reader.close()
        for (partition, last) in partitions {
            #expect(committed[partition] == last + 1, "partition \(partition): committed \(committed[partition] ?? -1), last applied \(last)")
        }
        // The relay drained: the notification outbox has nothing unpublished.
        #expect(try await pool.query("SELECT count(*)::int FROM outbox WHERE published_at IS NULL")[0].decode(0, as: Int.self) == 0)
        await pool.close()
    }
}
