import Domain
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Kafka
import ServiceKit
import Synchronization
import Testing

/// The registry killed (SIGKILL) in the middle of writes from a client that
/// retries each write with its Idempotency-Key until it gets an answer:
/// every write applied once, every event in the outbox and on Kafka once per
/// write, one audit entry per act and a chain `sjctl audit verify` accepts;
/// the restart on the same database seeds nothing again.
@Suite(.serialized) struct RegistryCrashTests {
    static let office = Principal(subject: "office-1", role: .office)

    /// Requests in flight right now (the kill must land while some are).
    final class InFlight: Sendable {
        let count = Atomic<Int>(0)
        let answered = Atomic<Int>(0)
    }

    @Test func sigkillMidWritesAppliesEachRetriedWriteOnceAndTheAuditChainHolds() async throws {
        let world = try await ServiceWorld.start()
        defer { world.stop() }
        try await world.launch("registry")
        let pool = world.pool("registry")
        func count(_ sql: String) async throws -> Int {
            try await pool.query("SELECT count(*)::int FROM \(unsafeRaw: sql)")[0].decode(0, as: Int.self)
        }
        let seededUnits = try await count("units")
        let seededPeople = try await count("people")
        let seededEvents = try await count("outbox")
        let seededEntries = try await count("audit_log")
        #expect(seededEvents > 0 && seededEntries > 0)

        let token = try world.token(Self.office)
        let port = try #require(world.ports["registry"])
        let writes = 60
        let inFlight = InFlight()
        // Four clients; each write retried (same key, same body) until answered.
        let clients = Task {
            try await withThrowingTaskGroup(of: [String: String].self) { group in
                for client in 0..<4 {
                    group.addTask {
                        var ids: [String: String] = [:]
                        for n in stride(from: client, to: writes, by: 4) {
                            let key = "crash-\(n)-\(UUID().uuidString.prefix(8))"
                            let body: [String: Any] = ["name": "联络员\(n)", "unitId": "education-bureau"]
                            while true {
                                inFlight.count.add(1, ordering: .relaxed)
                                let reply = try? await Self.post(port: port, "/v1/people", token: token, key: key, json: body)
                                inFlight.count.subtract(1, ordering: .relaxed)
                                if let reply, reply.status == 201, let id = reply.json["id"] as? String {
                                    ids[key] = id
                                    inFlight.answered.add(1, ordering: .relaxed)
                                    break
                                }
                                try await Task.sleep(for: .milliseconds(100))
                            }
                        }
                        return ids
                    }
                }
                var all: [String: String] = [:]
                for try await ids in group { all.merge(ids) { $1 } }
                return all
            }
        }

        // The kill lands while requests are in flight, a third of the way in.
        try await waitUntil("a third of the writes answered", timeout: .seconds(120)) {
            inFlight.answered.load(ordering: .relaxed) >= writes / 3
        }
        try await waitUntil("requests in flight") { inFlight.count.load(ordering: .relaxed) > 0 }
        await world.kill("registry")
        let answeredAtKill = inFlight.answered.load(ordering: .relaxed)
        #expect(answeredAtKill < writes, "killed mid-way: \(answeredAtKill) of \(writes) answered")
        try await world.launch("registry")

        let ids = try await clients.value
        #expect(ids.count == writes)
        #expect(Set(ids.values).count == writes, "one person per key")
        #expect(try await count("people") == seededPeople + writes, "each write applied once")
        #expect(try await count("units") == seededUnits, "the restart seeded nothing")

        // One event per write in the outbox, all published, each once on the topic.
        let created = EventType.personCreated
        #expect(try await count("outbox WHERE type = '\(created)'") == writes)
        #expect(try await count("outbox") == seededEvents + writes, "no seed event written again")
        try await waitUntil("the outbox published", timeout: .seconds(60)) { try await count("outbox WHERE published_at IS NULL") == 0 }
        let outboxIds = Set(try await pool.query("SELECT id FROM outbox WHERE type = \(created)").map {
            try $0.decode(0, as: UUID.self).uuidString.lowercased()
        })
        let onTopic = try await Self.ceIds(topic: Topic.registryPeople, brokers: world.brokers, type: created, atLeast: writes)
        #expect(Set(onTopic) == outboxIds, "every write's event on the topic")

        // One audit entry per act; the chain verifies after the crash.
        #expect(try await count("audit_log WHERE action = '\(created)'") == writes)
        #expect(try await count("audit_log") == seededEntries + writes)
        let verify = try await Self.sjctl(["audit", "verify", "--service", "registry", "--database-url", world.databases["registry"]!, "--brokers", world.brokers])
        #expect(verify.status == 0, "\(verify.output)")
        await pool.close()
    }

    static func post(port: Int, _ path: String, token: String, key: String, json: [String: Any]) async throws -> ContractResponse {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = "POST"
        request.timeoutInterval = 10
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue(key, forHTTPHeaderField: "Idempotency-Key")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: json)
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        return ContractResponse(status: http?.statusCode ?? 0, headers: [:], body: data)
    }

    /// The `ce_id`s of `type` on `topic`, read from the beginning (copies included).
    static func ceIds(topic: String, brokers: String, type: String, atLeast count: Int) async throws -> [String] {
        var configuration = KafkaConsumerConfiguration(brokers: brokers, groupId: "crash-reader-\(UUID().uuidString)", topics: [topic])
        configuration.properties["session.timeout.ms"] = "6000"
        let consumer = try KafkaConsumer(configuration: configuration, logger: ServiceWorld.logger)
        var ids: [String] = []
        let deadline = ContinuousClock.now + .seconds(60)
        while Set(ids).count < count && ContinuousClock.now < deadline {
            guard let batch = try await consumer.nextBatch() else { break }
            for message in batch where message.header("ce_type").flatMap(\.value).map({ String(decoding: $0, as: UTF8.self) }) == type {
                if let id = message.header("ce_id").flatMap(\.value) { ids.append(String(decoding: id, as: UTF8.self)) }
            }
        }
        await consumer.close()
        return ids
    }

    static func sjctl(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let bin = try #require(ProcessInfo.processInfo.environment["SJ_BIN_DIR"])
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("sjctl-\(UUID().uuidString.prefix(8)).out")
        let process = try launchProcess(URL(fileURLWithPath: bin).appendingPathComponent("sjctl"), arguments: arguments, log: log)
        #expect(await waitForExit(process, timeout: .seconds(60)))
        return (process.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }
}
