import Domain
import EventFlow
import Foundation
import Kafka
import Postgres
import ServiceKit
import Testing
@testable import Notification

/// The notification process killed with SIGKILL while delivering many alerts:
/// afterwards none is missing, and any repeat reaching the sink carries the
/// same idempotency key.
///
/// 20 units each get a liaison with a webhook to a slow local sink (1 s a
/// request, so sends are in flight); 20 `letter.issued` events per unit are
/// published straight onto `shuangjian.scheduling.letters` (400 deliveries,
/// one per letter and liaison). Once a quarter of them are sent, and while
/// more requests have reached the sink than sends were recorded (sends in
/// flight), the process is killed, then started again on the same database
/// and port.
@Suite(.serialized) struct NotificationCrashTests {
    static let office = Principal(subject: "office-1", role: .office)
    static let units = [
        "organization-department", "publicity-department", "political-legal-committee", "staffing-office",
        "education-bureau", "petition-bureau", "development-reform-bureau", "science-economy-bureau",
        "public-security-bureau", "civil-affairs-bureau", "justice-bureau", "finance-bureau",
        "human-resources-bureau", "housing-construction-bureau", "culture-tourism-bureau", "health-bureau",
        "emergency-management-bureau", "market-regulation-bureau", "civil-air-defense-office", "financial-affairs-office",
    ]
    static let lettersPerUnit = 20

    @Test func sigkillMidDeliveryLosesNoAlertAndRepeatsCarryTheSameKey() async throws {
        let world = try await ServiceWorld.start()
        defer { world.stop() }
        // Sends time out after 2.5 s (the sink answers in 1 s); a dead
        // worker's leases end after 5 s, and the restarted one re-sends them.
        let environment = ["SJ_NOTIFICATION_SEND_TIMEOUT_MS": "2500", "SJ_NOTIFICATION_LEASE_MS": "5000"]
        try await world.launch("registry")
        try await world.launch("notification", environment: environment)
        let office = try world.token(Self.office)
        let pool = world.pool("notification")

        try await HTTPSink.with { sink in
            // 1. A liaison per unit, known to the notification directory.
            var liaisons: [String: UUID] = [:]
            for (index, unit) in Self.units.enumerated() {
                let created = try await world.request(
                    "registry", "POST", "/v1/people", token: office,
                    json: ["name": "联络员\(index + 1)", "unitId": unit, "channels": ["mobile": "1380000\(String(format: "%04d", index))"]])
                #expect(created.status == 201, "\(created.text)")
                let id = try #require((created.json["id"] as? String).flatMap(UUID.init(uuidString:)))
                let assigned = try await world.request(
                    "registry", "PUT", "/v1/units/\(unit)/liaison", token: office, json: ["personId": id.uuidString.lowercased()])
                #expect(assigned.status == 200, "\(assigned.text)")
                liaisons[unit] = id
            }
            let ids = Self.units.compactMap { liaisons[$0] }
            try #require(ids.count == Self.units.count)
            #expect(try await eventually(timeout: .seconds(60)) {
                try await pool.query("""
                    SELECT count(*)::int FROM directory_units u JOIN directory_people p ON p.id = u.liaison_id
                    WHERE u.id = ANY(\(Self.units))
                    """)[0].decode(0, as: Int.self) == Self.units.count
            }, "the directory knows every unit's liaison")

            // 2. Their webhooks, after the liaison changes: only letters are delivered.
            for id in ids {
                let configured = try await world.request(
                    "notification", "PUT", "/v1/channels/person/\(id.uuidString.lowercased())/webhook", token: office,
                    json: ["endpoint": sink.url("/hook"), "secret": "webhook-secret-123456"])
                #expect(configured.status == 200, "\(configured.text)")
            }
            let total = Self.units.count * Self.lettersPerUnit
            sink.script("/hook", Array(repeating: HTTPSink.Reply(delay: .seconds(1)), count: total * 3))

            // 3. The letters, straight onto the scheduling topic.
            var expected: Set<Pair> = []
            var records: [KafkaRecord] = []
            for round in 0..<Self.lettersPerUnit {
                for (index, unit) in Self.units.enumerated() {
                    let letter = UUID().uuidString.lowercased()
                    let event = CloudEvent(
                        id: UUID().uuidString.lowercased(), source: "/shuangjian/scheduling",
                        type: "cn.gov.fangxian.shuangjian.scheduling.letter.issued.v1", subject: letter, time: Date(),
                        data: Array(try JSONSerialization.data(withJSONObject: ["letter": [
                            "id": letter, "kind": round.isMultiple(of: 2) ? "supervision" : "coordination",
                            "number": "房双减督〔2026〕\(round * 100 + index + 1)号", "unitId": unit,
                            "subject": "关于校外培训治理第\(round + 1)批事项的督办函", "replyDue": "2026-12-31",
                        ]])))
                    records.append(event.kafkaRecord(topic: Topic.schedulingLetters, key: letter))
                    expected.insert(Pair(event: event.id, recipient: liaisons[unit]!))
                }
            }
            let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(brokers: world.brokers), logger: ServiceWorld.logger)
            for result in await producer.send(records) { _ = try result.get() }
            await producer.close()

            // 4. SIGKILL once a quarter are sent, with sends in flight: requests
            // at the sink whose outcome is not recorded yet.
            func count(_ condition: String) async throws -> Int {
                try await pool.query("SELECT count(*)::int FROM deliveries WHERE \(unsafeRaw: condition)")[0].decode(0, as: Int.self)
            }
            #expect(try await eventually(timeout: .seconds(60)) {
                let sent = try await count("state = 'sent'")
                return sent >= total / 4 && sink.requests(to: "/hook").count >= sent + 10
            }, "deliveries start, and some are in flight")
            await world.kill("notification")
            let sentAtKill = try await count("state = 'sent'")
            let requestsAtKill = sink.requests(to: "/hook").count
            #expect(sentAtKill < total, "killed mid-way (\(sentAtKill) of \(total) sent)")
            #expect(requestsAtKill > sentAtKill, "killed with sends in flight (\(requestsAtKill) requests, \(sentAtKill) recorded)")

            // The deliveries the dead process held stay leased for 5 s; the
            // restarted worker takes them once the leases end.
            let leased = try await count("state IN ('pending', 'failed') AND lease_until > now()")

            // 5. Restart on the same database and port; wait for all to be sent.
            try await world.launch("notification", environment: environment)
            #expect(try await eventually(timeout: .seconds(60)) { try await count("state = 'sent'") == total },
                    "every delivery sent after the restart")
            #expect(try await count("true") == total, "one delivery per letter and liaison")
            #expect(try await count("state <> 'sent'") == 0)

            // 6. What reached the sink.
            let requests = sink.requests(to: "/hook")
            var keysByPair: [Pair: Set<String>] = [:]
            var pairsByKey: [String: Set<Pair>] = [:]
            for request in requests {
                let key = try #require(request.header("Idempotency-Key"), "every request carries a key")
                let json = request.json
                let recipient = (json["recipient"] as? [String: Any])?["id"] as? String
                let pair = Pair(event: json["eventId"] as? String ?? "", recipient: recipient.flatMap(UUID.init(uuidString:)) ?? UUID())
                #expect(json["id"] as? String == key, "the body's id is the key")
                keysByPair[pair, default: []].insert(key)
                pairsByKey[key, default: []].insert(pair)
            }
            let missing = expected.subtracting(keysByPair.keys)
            #expect(missing.isEmpty, "\(missing.count) of \(total) alerts never reached the sink")
            #expect(Set(keysByPair.keys).subtracting(expected).isEmpty, "nothing unexpected reached the sink")
            let pairsWithSeveralKeys = keysByPair.filter { $0.value.count > 1 }
            #expect(pairsWithSeveralKeys.isEmpty, "a repeat carried another key: \(pairsWithSeveralKeys.prefix(3))")
            let keysWithSeveralPairs = pairsByKey.filter { $0.value.count > 1 }
            #expect(keysWithSeveralPairs.isEmpty, "one key for two alerts: \(keysWithSeveralPairs.prefix(3))")
            #expect(pairsByKey.count == total, "distinct keys \(pairsByKey.count) = deliveries \(total)")
            for (pair, keys) in keysByPair {
                #expect(keys == [DeliveryKey.make(eventId: pair.event, recipientId: pair.recipient)])
            }
            let repeats = requests.count - pairsByKey.count
            // The kill must have caught sends in flight, or nothing was tested.
            #expect(repeats > 0, "no send was repeated: the kill caught none in flight")
            print("""
                NotificationCrashTests: \(total) deliveries; killed with \(sentAtKill) sent and \(requestsAtKill) requests \
                at the sink, \(leased) leased; after restart \(requests.count) requests, \(repeats) repeats, \
                \(pairsByKey.count) distinct keys
                """)
        }
        await pool.close()
    }

    struct Pair: Hashable, Sendable, CustomStringConvertible {
        var event: String
        var recipient: UUID
        var description: String { "\(event)→\(recipient.uuidString.lowercased())" }
    }
}
