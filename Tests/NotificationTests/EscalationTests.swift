import Domain
import EventFlow
import Foundation
import Postgres
import Testing

@testable import Notification

@Suite(.enabled(if: NotificationDatabase.isConfigured, "needs SJ_TEST_DATABASE_URL (scripts/test.sh)"))
struct EscalationTests {
    func letter(issuedAt time: Date) -> CloudEvent {
        Fixture.event(EventType.letterIssued, ["letter": [
            "id": UUID().uuidString, "kind": "coordination", "number": "房双减协〔2026〕7号",
            "unitId": "market-regulation-bureau", "subject": "协同查处违规培训广告", "replyDue": "2026-11-30",
        ]], time: time, source: "/shuangjian/scheduling")
    }

    /// Seeds the mechanism, issues a letter at `issued`; returns the letter's notification id.
    func issue(
        _ db: NotificationDatabase, _ mechanism: SeededMechanism, clock: TestClock, at issued: Date
    ) async throws -> (event: CloudEvent, notification: UUID) {
        clock.set(issued)
        let handlers = NotificationHandlers.make(rules: try RoutingRules.bundled(), clock: clock.function)
        try await mechanism.seed(db, handlers, at: issued)
        let event = letter(issuedAt: issued)
        try await db.apply(event, with: handlers)
        let id = try await db.pool.query("SELECT id FROM notifications WHERE event_id = \(event.id)").first!.decode(0, as: UUID.self)
        return (event, id)
    }

    func scanner(_ db: NotificationDatabase, _ clock: TestClock) -> EscalationScanner {
        EscalationScanner(
            pool: db.pool, texts: try! RoutingRules.bundled().escalation, interval: .seconds(1), now: clock.function,
            logger: NotificationDatabase.logger)
    }

    @Test func aLetterEscalatesOnceExactlyAtTheWorkingHoursDeadlineAcrossAHoliday() async throws {
        try await NotificationDatabase.with { db in
            let mechanism = SeededMechanism()
            let clock = TestClock(Fixture.china("2026-09-30 16:00"))
            try await db.addChannel("sms", ownerKind: "person", ownerId: mechanism.office.uuidString.lowercased())
            try await db.addChannel("webhook", ownerKind: "unit", ownerId: "market-regulation-bureau")
            let (letter, original) = try await issue(db, mechanism, clock: clock, at: Fixture.china("2026-09-30 16:00"))
            // The 协调函 as its liaison reads it.
            let sent = try #require(try await db.notifications(of: letter.id)[mechanism.oldLiaison])
            #expect(sent.title == "协调函（房双减协〔2026〕7号）：协同查处违规培训广告")
            #expect(sent.body == "协调机制办公室已向县市场监管局发出协调函（房双减协〔2026〕7号），事项：协同查处违规培训广告。请县市场监管局及时签收，并于2026年11月30日前将相关办理情况报协调机制办公室。")
            // 1.5 h on Wed 30 Sep, the National Day holiday 1–7 Oct, 6.5 h on Thu 8 Oct.
            let deadline = Fixture.china("2026-10-08 17:30")
            #expect(try await db.pool.query("SELECT escalate_at FROM notifications WHERE id = \(original)").first!
                .decode(0, as: Date.self) == deadline)
            let scanner = scanner(db, clock)

            for early in ["2026-10-01 09:00", "2026-10-07 17:00", "2026-10-08 17:29:59"] {
                clock.set(Fixture.china(early))
                #expect(try await scanner.scanOnce().isEmpty, "escalated early at \(early)")
            }

            clock.set(deadline)
            let escalations = try await scanner.scanOnce()
            #expect(escalations.count == 1)
            let escalation = try #require(escalations.first)
            #expect(escalation.original.id == original)
            #expect(escalation.escalatedTo == [mechanism.member, mechanism.office])

            let eventId = "escalation:\(original.uuidString.lowercased())"
            let rows = try await db.pool.query("""
                SELECT recipient_id, class, title, body, escalated_from, unit_id, escalate_at, event_type
                FROM notifications WHERE event_id = \(eventId) ORDER BY recipient_id
                """)
            #expect(rows.count == 2)
            for row in rows {
                let (recipient, kind, title, body, from, unit, escalateAt, type) =
                    try row.decode((UUID, String, String, String, UUID?, String?, Date?, String).self)
                #expect([mechanism.member, mechanism.office].contains(recipient))
                #expect(kind == "letter")
                #expect(from == original)
                #expect(unit == "market-regulation-bureau")
                #expect(escalateAt == nil)
                #expect(type == EventType.notificationEscalated)
                #expect(title == "逾期未签收：协调函（房双减协〔2026〕7号）：协同查处违规培训广告")
                #expect(body == "县市场监管局陈静同志于2026年9月30日 16:00收到的“协调函（房双减协〔2026〕7号）：协同查处违规培训广告”，截至2026年10月8日 17:30仍未签收。请督促及时签收，并按规定期限将相关办理情况报协调机制办公室。")
            }
            #expect(try await db.deliveries(of: eventId, to: mechanism.office) == [
                "sms": DeliveryKey.make(eventId: eventId, recipientId: mechanism.office),
            ])
            #expect(try await db.deliveries(of: eventId, to: mechanism.member).keys.sorted() == ["webhook"])
            #expect(try await db.pool.query("SELECT escalated_at FROM notifications WHERE id = \(original)").first!
                .decode(0, as: Date?.self) == deadline)

            let outbox = try await db.pool.query("""
                SELECT topic, type, aggregatetype, aggregateid, subject, payload->'notification'->>'id',
                       payload->'notification'->>'escalatedAt', payload->'escalatedTo'->>0, payload->'escalatedTo'->>1
                FROM outbox
                """)
            #expect(outbox.count == 1)
            let (topic, type, aggregateType, aggregateId, subject, payloadId, escalatedAt, first, second) =
                try outbox[0].decode((String, String, String, String, String?, String, String?, String, String).self)
            #expect(topic == Topic.notificationDeliveries)
            #expect(type == "cn.gov.fangxian.shuangjian.notification.notification.escalated.v1")
            #expect(aggregateType == "notification")
            #expect(aggregateId == original.uuidString.lowercased())
            #expect(subject == "notifications/\(original.uuidString.lowercased())")
            #expect(payloadId == original.uuidString)
            #expect(escalatedAt == RFC3339.format(deadline))
            #expect([first, second] == [mechanism.member.uuidString, mechanism.office.uuidString])

            // Once only.
            clock.set(Fixture.china("2026-10-09 09:00"))
            #expect(try await scanner.scanOnce().isEmpty)
            #expect(try await db.count("SELECT count(*) FROM notifications WHERE escalated_from IS NOT NULL") == 2)
            #expect(try await db.count("SELECT count(*) FROM outbox") == 1)
        }
    }

    @Test func aWeekendDoesNotCount() async throws {
        try await NotificationDatabase.with { db in
            let mechanism = SeededMechanism()
            let clock = TestClock(Fixture.china("2026-11-13 16:00"))
            let (_, original) = try await issue(db, mechanism, clock: clock, at: Fixture.china("2026-11-13 16:00"))
            let deadline = Fixture.china("2026-11-16 17:30")  // Fri 1.5 h + Mon 6.5 h
            #expect(try await db.pool.query("SELECT escalate_at FROM notifications WHERE id = \(original)").first!
                .decode(0, as: Date.self) == deadline)
            let scanner = scanner(db, clock)
            for early in ["2026-11-14 12:00", "2026-11-15 20:00", "2026-11-16 17:29"] {
                clock.set(Fixture.china(early))
                #expect(try await scanner.scanOnce().isEmpty, "escalated early at \(early)")
            }
            clock.set(Fixture.china("2026-11-16 17:31"))
            #expect(try await scanner.scanOnce().map(\.original.id) == [original])
        }
    }

    @Test func anAcknowledgedLetterDoesNotEscalate() async throws {
        try await NotificationDatabase.with { db in
            let mechanism = SeededMechanism()
            let clock = TestClock(Fixture.china("2026-11-13 16:00"))
            let (_, original) = try await issue(db, mechanism, clock: clock, at: Fixture.china("2026-11-13 16:00"))
            try await db.pool.execute("""
                UPDATE notifications SET acknowledged_at = \(Fixture.china("2026-11-16 09:00")), acknowledged_by = 'liaison'
                WHERE id = \(original)
                """)
            clock.set(Fixture.china("2026-11-20 09:00"))
            #expect(try await scanner(db, clock).scanOnce().isEmpty)
            #expect(try await db.count("SELECT count(*) FROM notifications WHERE escalated_at IS NOT NULL") == 0)
            #expect(try await db.count("SELECT count(*) FROM outbox") == 0)
        }
    }

    @Test func theScannerRunsAsAServiceUntilCancelled() async throws {
        try await NotificationDatabase.with { db in
            let mechanism = SeededMechanism()
            let clock = TestClock(Fixture.china("2026-11-13 16:00"))
            let (_, original) = try await issue(db, mechanism, clock: clock, at: Fixture.china("2026-11-13 16:00"))
            clock.set(Fixture.china("2026-11-17 09:00"))
            let scanner = EscalationScanner(pool: db.pool, texts: try RoutingRules.bundled().escalation, interval: .milliseconds(50),
                                            now: clock.function, logger: NotificationDatabase.logger)
            let task = Task { try await scanner.run() }
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline,
                  try await db.count("SELECT count(*) FROM notifications WHERE id = \(original) AND escalated_at IS NOT NULL") == 0 {
                try await Task.sleep(for: .milliseconds(50))
            }
            task.cancel()
            _ = await task.result
            #expect(try await db.count("SELECT count(*) FROM notifications WHERE escalated_from = \(original)") == 2)
        }
    }
}
