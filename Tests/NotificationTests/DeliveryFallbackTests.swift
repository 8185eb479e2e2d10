import Domain
import Foundation
import Postgres
import Testing
@testable import Notification

/// A notification goes to the recipient's first channel; when that delivery
/// is dead, to the next (in `priority` order), with the same idempotency
/// key — recorded in the delivery log, published and audited — and the
/// inbox holds it whatever happens outside.
@Suite struct DeliveryFallbackTests {
    /// A notification created as the router creates one: the inbox row and
    /// the plan's first delivery.
    static func notify(_ db: DeliveryDatabase, _ person: UUID, at now: Date) async throws -> (id: UUID, eventId: String, channels: [Channel]) {
        let notification = try await db.addNotification(recipient: person, at: now)
        let channels = try await db.pool.transaction { connection in
            try await DeliveryPlanStore.create(
                notification: notification.id, eventId: notification.eventId, recipient: person, at: now, on: connection)
        }
        return (notification.id, notification.eventId, channels)
    }

    struct Row: Sendable {
        var id: UUID
        var channel: String
        var state: String
        var key: String
        var fallbackFrom: UUID?
        var fallbackReason: String?
    }

    /// A notification's deliveries in the order they were tried: the first,
    /// then each one's fallback (the test clock stands still, so times do not tell).
    static func deliveries(_ db: DeliveryDatabase, of notification: UUID) async throws -> [Row] {
        let rows = try await db.pool.query("""
            SELECT id, channel, state, idempotency_key, fallback_from, fallback_reason FROM deliveries
            WHERE notification_id = \(notification)
            """).map { row in
            let (id, channel, state, key, from, reason) = try row.decode((UUID, String, String, String, UUID?, String?).self)
            return Row(id: id, channel: channel, state: state, key: key, fallbackFrom: from, fallbackReason: reason)
        }
        var chain = rows.filter { $0.fallbackFrom == nil }
        while let last = chain.last, let next = rows.first(where: { $0.fallbackFrom == last.id }) { chain.append(next) }
        return chain.count == rows.count ? chain : rows
    }

    @Test func aDeadDeliveryFallsBackToTheNextChannelWithTheSameKey() async throws {
        try await DeliveryDatabase.with { db in
            try await HTTPSink.with { sink in
                sink.script("/gone", [.init(status: 404, body: #"{"error":"no such hook"}"#)])
                let clock = DeliveryTestClock()
                let person = try await db.addPerson()
                let owner = person.uuidString.lowercased()
                try await db.addConfig(owner: owner, channel: .webhook, endpoint: sink.url("/gone"), priority: 10)
                try await db.addConfig(owner: owner, channel: .sms, endpoint: sink.url("/sms"), secret: "sms-gateway-secret-01", priority: 20)
                try await db.addConfig(owner: owner, channel: .wecom, endpoint: sink.url("/wecom?key=k"), enabled: false, priority: 5)
                let notification = try await Self.notify(db, person, at: clock.now())
                #expect(notification.channels == [.webhook], "one delivery at first: the first enabled channel")

                // The webhook dies (404), the SMS fallback is due at once and sent in the same round.
                #expect(try await db.worker(clock: clock).processDue() == 2)
                let rows = try await Self.deliveries(db, of: notification.id)
                try #require(rows.count == 2)
                #expect(rows.map(\.channel) == ["webhook", "sms"])
                #expect(rows.map(\.state) == ["dead", "sent"])
                let key = DeliveryKey.make(eventId: notification.eventId, recipientId: person)
                #expect(rows.allSatisfy { $0.key == key })
                #expect(rows[1].fallbackFrom == rows[0].id)
                #expect(rows[1].fallbackReason == "webhook delivery \(rows[0].id.uuidString.lowercased()) is dead: HTTP 404: {\"error\":\"no such hook\"}")
                // Both requests carried the same key.
                #expect(sink.requests(to: "/gone").map { $0.header("Idempotency-Key") } == [key])
                #expect(sink.requests(to: "/sms").map { $0.header("Idempotency-Key") } == [key])
                #expect(sink.requests(to: "/sms").first?.json["idempotencyKey"] as? String == key)

                // The delivery log: the dead delivery's attempt names the fallback.
                let attempts = try await DeliveryStore.attempts(of: rows[0].id, db.pool)
                #expect(attempts.count == 1 && attempts[0].statusCode == 404)
                #expect(attempts[0].fallbackDeliveryId == rows[1].id && attempts[0].fallbackChannel == .sms)
                #expect(try await DeliveryStore.attempts(of: rows[1].id, db.pool).map(\.fallbackDeliveryId) == [nil])

                // Published: dead, fell back (keyed by the new delivery), then its sent.
                #expect(try await db.events(rows[0].id).map(\.type) == [EventType.deliveryDead])
                let fallbackEvents = try await db.events(rows[1].id)
                #expect(fallbackEvents.map(\.type) == [EventType.deliveryFellBack, EventType.deliverySent])
                let payload = try JSONSerialization.jsonObject(with: Data(fallbackEvents[0].payload.utf8)) as? [String: Any] ?? [:]
                #expect(payload["fromDeliveryId"] as? String == rows[0].id.uuidString)
                #expect(payload["fromChannel"] as? String == "webhook")
                #expect((payload["delivery"] as? [String: Any])?["channel"] as? String == "sms")

                // In the audit log, as the system's act.
                let audit = try await db.pool.query("""
                    SELECT actor_subject, actor_role, aggregate_id FROM audit_log WHERE action = \(EventType.deliveryFellBack)
                    """).map { try $0.decode((String, String, String).self) }
                #expect(audit.count == 1)
                #expect(audit.first?.0 == "notification.delivery" && audit.first?.1 == "system")
                #expect(audit.first?.2 == rows[1].id.uuidString.lowercased())

                // The inbox holds it.
                #expect(try await NotificationStore.inbox(of: person, unreadOnly: false, db.pool).map(\.id) == [notification.id])
            }
        }
    }

    /// Priority decides the order (lowest first); the person's own channel
    /// comes before the unit's at equal priority; once every channel is dead
    /// nothing more is tried, and the inbox still holds the alert.
    @Test func channelsAreTriedInPriorityOrderUntilNoneIsLeft() async throws {
        try await DeliveryDatabase.with { db in
            try await HTTPSink.with { sink in
                sink.script("/sms", [.init(status: 400)])
                sink.script("/unit-hook", [.init(status: 410)])
                sink.script("/robot/send", [.init(body: #"{"errcode":300001,"errmsg":"token is not exist"}"#)])
                let clock = DeliveryTestClock()
                let unit = "unit-" + UUID().uuidString.prefix(8)
                let person = try await db.addPerson(unit: unit)
                let owner = person.uuidString.lowercased()
                try await db.addConfig(owner: owner, channel: .sms, endpoint: sink.url("/sms"), priority: 1)
                try await db.addConfig(owner: unit, kind: "unit", channel: .webhook, endpoint: sink.url("/unit-hook"), priority: 50)
                try await db.addConfig(owner: owner, channel: .dingtalk, endpoint: sink.url("/robot/send?access_token=t"),
                                       secret: "SECrobot-secret-0123", priority: 50)
                let notification = try await Self.notify(db, person, at: clock.now())
                #expect(notification.channels == [.sms])
                #expect(try await db.worker(clock: clock).processDue() == 3)
                let rows = try await Self.deliveries(db, of: notification.id)
                try #require(rows.count == 3)
                #expect(rows.map(\.channel) == ["sms", "dingtalk", "webhook"])
                #expect(rows.allSatisfy { $0.state == "dead" })
                #expect(rows[1].fallbackFrom == rows[0].id && rows[2].fallbackFrom == rows[1].id)
                #expect(Set(rows.map(\.key)).count == 1)
                let last = try await DeliveryStore.attempts(of: rows[2].id, db.pool)
                #expect(last.map(\.fallbackDeliveryId) == [nil], "no channel left")
                clock.advance(seconds: 3600)
                #expect(try await db.worker(clock: clock).processDue() == 0)
                #expect(try await NotificationStore.inbox(of: person, unreadOnly: false, db.pool).count == 1)
            }
        }
    }

    /// A retryable failure is not a death: no fallback until the last attempt fails.
    @Test func noFallbackWhileRetriesRemain() async throws {
        try await DeliveryDatabase.with { db in
            try await HTTPSink.with { sink in
                sink.script("/flaky", [.init(status: 503), .init(status: 503)])
                let clock = DeliveryTestClock()
                let person = try await db.addPerson()
                let owner = person.uuidString.lowercased()
                try await db.addConfig(owner: owner, channel: .webhook, endpoint: sink.url("/flaky"))
                try await db.addConfig(owner: owner, channel: .sms, endpoint: sink.url("/sms"))
                let notification = try await Self.notify(db, person, at: clock.now())
                let worker = db.worker(clock: clock) { $0.retry.maxAttempts = 2 }
                #expect(try await worker.processDue() == 1)
                #expect(try await Self.deliveries(db, of: notification.id).map(\.channel) == ["webhook"])
                clock.advance(seconds: 700)
                #expect(try await worker.processDue() == 2)
                #expect(try await Self.deliveries(db, of: notification.id).map(\.state) == ["dead", "sent"])
            }
        }
    }
}
