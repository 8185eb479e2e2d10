import Domain
import EventFlow
import Foundation
import Postgres
import Testing

@testable import Notification

/// A small mechanism in the directory: the office and a convener at the
/// education bureau, the market regulation bureau with a member and a liaison.
struct SeededMechanism {
    let office = UUID(), convener = UUID(), member = UUID(), oldLiaison = UUID()

    func seed(_ db: NotificationDatabase, _ handlers: EventHandlers, at time: Date) async throws {
        for event in [
            Fixture.unitEvent(Fixture.unit("education-bureau", "县教育局", topics: [["coordination", "homework"]]), time: time),
            Fixture.unitEvent(Fixture.unit("market-regulation-bureau", "县市场监管局", topics: [["advertising"], ["price-supervision"]],
                                           member: member, liaison: oldLiaison), time: time),
            Fixture.personEvent(Fixture.person(office, "李主任", unit: "education-bureau", roles: ["office"], mobile: "13900000001"), time: time),
            Fixture.personEvent(Fixture.person(convener, "周县长", unit: nil, roles: ["convener"]), time: time),
            Fixture.personEvent(Fixture.person(member, "王副局长", unit: "market-regulation-bureau", roles: ["member"]), time: time),
            Fixture.personEvent(Fixture.person(oldLiaison, "陈静", unit: "market-regulation-bureau", roles: ["liaison"]), time: time),
        ] {
            try await db.apply(event, with: handlers)
        }
    }
}

struct StoredNotification: Equatable {
    var recipient: UUID
    var unitId: String?
    var notificationClass: String
    var title: String
    var body: String
    var escalateAt: Date?
}

extension NotificationDatabase {
    func notifications(of eventId: String) async throws -> [UUID: StoredNotification] {
        var found: [UUID: StoredNotification] = [:]
        for row in try await pool.query("""
            SELECT recipient_id, unit_id, class, title, body, escalate_at FROM notifications WHERE event_id = \(eventId)
            """) {
            let (recipient, unit, kind, title, body, escalate) = try row.decode((UUID, String?, String, String, String, Date?).self)
            found[recipient] = StoredNotification(
                recipient: recipient, unitId: unit, notificationClass: kind, title: title, body: body, escalateAt: escalate)
        }
        return found
    }

    /// Channel → idempotency key of the deliveries of one recipient's notification of an event.
    func deliveries(of eventId: String, to recipient: UUID) async throws -> [String: String] {
        var found: [String: String] = [:]
        for row in try await pool.query("""
            SELECT d.channel, d.idempotency_key, d.state, d.next_attempt_at, d.config_id FROM deliveries d
            JOIN notifications n ON n.id = d.notification_id
            WHERE n.event_id = \(eventId) AND n.recipient_id = \(recipient)
            """) {
            let (channel, key, state, _, config) = try row.decode((String, String, String, Date, UUID?).self)
            #expect(state == "pending")
            #expect(config != nil)
            found[channel] = key
        }
        return found
    }
}

@Suite(.enabled(if: NotificationDatabase.isConfigured, "needs SJ_TEST_DATABASE_URL (scripts/test.sh)"))
struct RoutingTests {
    let now = Fixture.china("2026-09-30 10:00")

    func handlers(rules: RoutingRules? = nil) throws -> EventHandlers {
        let now = self.now
        return NotificationHandlers.make(rules: try rules ?? RoutingRules.bundled(), clock: { now })
    }

    func liaisonChange(_ mechanism: SeededMechanism, newLiaison: UUID) -> CloudEvent {
        Fixture.event(EventType.liaisonChanged, [
            "unit": Fixture.unit("market-regulation-bureau", "县市场监管局", topics: [["advertising"], ["price-supervision"]],
                                 member: mechanism.member, liaison: newLiaison, version: 2),
            "liaison": Fixture.person(newLiaison, "张敏", unit: "market-regulation-bureau", roles: ["liaison"],
                                      mobile: "13700000002", version: 1),
            "previousLiaisonId": mechanism.oldLiaison.uuidString,
        ], time: now)
    }

    @Test func aLiaisonChangeNotifiesTheNewAndThePreviousLiaisonTheMemberAndTheOffice() async throws {
        let handlers = try handlers()
        try await NotificationDatabase.with { db in
            let mechanism = SeededMechanism()
            try await mechanism.seed(db, handlers, at: now)
            let newLiaison = UUID()
            let person = newLiaison.uuidString.lowercased()
            try await db.addChannel("dingtalk", ownerKind: "person", ownerId: person)
            try await db.addChannel("sms", ownerKind: "person", ownerId: person)
            try await db.addChannel("wecom", ownerKind: "person", ownerId: person, enabled: false)
            try await db.addChannel("webhook", ownerKind: "unit", ownerId: "market-regulation-bureau")
            // The member has an SMS gateway but no mobile: no SMS for them.
            try await db.addChannel("sms", ownerKind: "person", ownerId: mechanism.member.uuidString.lowercased())

            let event = liaisonChange(mechanism, newLiaison: newLiaison)
            try await db.apply(event, with: handlers)

            let found = try await db.notifications(of: event.id)
            #expect(Set(found.keys) == [newLiaison, mechanism.oldLiaison, mechanism.member, mechanism.office])
            for notification in found.values {
                #expect(notification.title == "县市场监管局联络员调整为张敏同志")
                #expect(notification.body == "自2026年9月30日起，县市场监管局在房县“双减”工作专门协调机制的联络员由陈静同志调整为张敏同志。")
                #expect(notification.notificationClass == "info")
                #expect(notification.escalateAt == nil)
            }
            #expect(found[mechanism.member]?.unitId == "market-regulation-bureau")
            #expect(found[newLiaison]?.unitId == "market-regulation-bureau")
            #expect(found[mechanism.oldLiaison]?.unitId == "market-regulation-bureau")

            // One delivery, on the first channel in order (the person's own
            // DingTalk before the unit's webhook at equal priority; SMS last);
            // the others are fallbacks, tried only if it dies.
            let liaisonDeliveries = try await db.deliveries(of: event.id, to: newLiaison)
            #expect(liaisonDeliveries == ["dingtalk": DeliveryKey.make(eventId: event.id, recipientId: newLiaison)])
            #expect(try await db.deliveries(of: event.id, to: mechanism.member).keys.sorted() == ["webhook"])
            #expect(try await db.deliveries(of: event.id, to: mechanism.office).isEmpty)
            #expect(try await db.deliveries(of: event.id, to: mechanism.oldLiaison).keys.sorted() == ["webhook"])
            #expect(try await db.count("SELECT count(*) FROM deliveries WHERE next_attempt_at = \(now)") == 3)
        }
    }

    @Test func theSameEventTwiceCreatesNothingNew() async throws {
        let handlers = try handlers()
        try await NotificationDatabase.with { db in
            let mechanism = SeededMechanism()
            try await mechanism.seed(db, handlers, at: now)
            try await db.addChannel("webhook", ownerKind: "unit", ownerId: "market-regulation-bureau")
            let event = liaisonChange(mechanism, newLiaison: UUID())
            try await db.apply(event, with: handlers)
            let notifications = try await db.count("SELECT count(*) FROM notifications")
            let deliveries = try await db.count("SELECT count(*) FROM deliveries")
            #expect(notifications == 4)
            #expect(deliveries == 3)
            try await db.apply(event, with: handlers)
            #expect(try await db.count("SELECT count(*) FROM notifications") == notifications)
            #expect(try await db.count("SELECT count(*) FROM deliveries") == deliveries)
        }
    }

    @Test func unitsWithTopicReachTheLiaisonOfEveryUnitWithAMatchingDuty() async throws {
        let warning = "cn.gov.fangxian.shuangjian.inspection.warning.issued.v1"
        let catalog = EventFields.shuangjian.adding(warning, paths: ["warning.title", "warning.topics", "warning.level"])
        let rules = try RoutingRules(json: Data("""
            {"escalation": {"title": "{{original.title}}", "body": "{{unit.name}}"},
             "rules": [
              {"eventType": "\(warning)", "class": "warning",
               "recipients": [{"kind": "units-with-topic", "topics": "warning.topics", "who": "liaison"},
                              {"kind": "units-with-topic", "topics": ["family-education"]}],
               "title": "风险预警：{{warning.title}}", "body": "{{recipient.name}}：请关注{{warning.title}}（{{warning.topics}}）。"}
            ]}
            """.utf8), catalog: catalog)
        let handlers = try handlers(rules: rules)
        try await NotificationDatabase.with { db in
            let police = UUID(), housing = UUID(), women = UUID(), education = UUID()
            for event in [
                Fixture.unitEvent(Fixture.unit("public-security-bureau", "县公安局", topics: [["fire-safety", "public-security"]], liaison: police), time: now),
                Fixture.unitEvent(Fixture.unit("housing-construction-bureau", "县住建局", topics: [["facility-safety"], ["fire-safety"]], liaison: housing), time: now),
                // A fire-safety unit without a liaison: skipped.
                Fixture.unitEvent(Fixture.unit("fire-rescue-brigade", "县消防救援大队", topics: [["fire-safety"]]), time: now),
                Fixture.unitEvent(Fixture.unit("womens-federation", "县妇联", topics: [["family-education"]], liaison: women), time: now),
                Fixture.unitEvent(Fixture.unit("education-bureau", "县教育局", topics: [["homework"]], liaison: education), time: now),
                Fixture.personEvent(Fixture.person(police, "刘警官", unit: "public-security-bureau", roles: ["liaison"]), time: now),
                Fixture.personEvent(Fixture.person(housing, "吴工", unit: "housing-construction-bureau", roles: ["liaison"]), time: now),
                Fixture.personEvent(Fixture.person(women, "郑主任", unit: "womens-federation", roles: ["liaison"]), time: now),
                Fixture.personEvent(Fixture.person(education, "钱老师", unit: "education-bureau", roles: ["liaison"]), time: now),
            ] {
                try await db.apply(event, with: handlers)
            }
            let event = Fixture.event(warning, ["warning": [
                "title": "某培训机构消防通道堵塞", "topics": ["fire-safety", "earthquake-safety"], "level": "yellow",
            ] as [String: Any]], time: now, source: "/shuangjian/inspection")
            try await db.apply(event, with: handlers)

            let found = try await db.notifications(of: event.id)
            #expect(Set(found.keys) == [police, housing, women])
            #expect(found[police]?.unitId == "public-security-bureau")
            #expect(found[housing]?.unitId == "housing-construction-bureau")
            #expect(found[police]?.notificationClass == "warning")
            #expect(found[police]?.title == "风险预警：某培训机构消防通道堵塞")
            #expect(found[housing]?.body == "吴工：请关注某培训机构消防通道堵塞（fire-safety、earthquake-safety）。")
        }
    }

    @Test func anInstitutionReachesTheLiaisonsOfItsResponsibleUnits() async throws {
        let handlers = try handlers()
        try await NotificationDatabase.with { db in
            let approving = UUID(), registering = UUID(), supervising = UUID()
            for event in [
                Fixture.unitEvent(Fixture.unit("science-economy-bureau", "县科经局", topics: [["approval"]], liaison: approving), time: now),
                Fixture.unitEvent(Fixture.unit("market-regulation-bureau", "县市场监管局", topics: [["registration"]], liaison: registering), time: now),
                Fixture.unitEvent(Fixture.unit("education-bureau", "县教育局", topics: [["daily-supervision"]], liaison: supervising), time: now),
                Fixture.personEvent(Fixture.person(approving, "甲", unit: "science-economy-bureau", roles: ["liaison"]), time: now),
                Fixture.personEvent(Fixture.person(registering, "乙", unit: "market-regulation-bureau", roles: ["liaison"]), time: now),
                Fixture.personEvent(Fixture.person(supervising, "丙", unit: "education-bureau", roles: ["liaison"]), time: now),
            ] {
                try await db.apply(event, with: handlers)
            }
            let event = Fixture.event(EventType.institutionRegistered, ["institution": [
                "id": UUID().uuidString, "creditCode": "52420325MJH000000X", "name": "房县启航科技培训中心",
                "category": "science-technology", "nonProfit": false, "address": "城关镇", "status": "pending",
                "whitelisted": false, "blacklisted": false, "version": 1,
                "responsibleUnits": [
                    "approving": ["science-economy-bureau"], "registering": ["market-regulation-bureau"],
                    "standardSetting": ["science-economy-bureau"], "supervising": ["science-economy-bureau", "education-bureau"],
                ],
                "registeredAt": "2026-09-30T02:00:00.000Z", "updatedAt": "2026-09-30T02:00:00.000Z",
            ] as [String: Any]], time: now)
            try await db.apply(event, with: handlers)
            let found = try await db.notifications(of: event.id)
            #expect(Set(found.keys) == [approving, registering, supervising])
            #expect(found[approving]?.title == "校外培训机构录入：房县启航科技培训中心")
            #expect(found[approving]?.body == "校外培训机构房县启航科技培训中心（统一社会信用代码：52420325MJH000000X；科技类非学科；营利性）已录入房县“双减”工作专门协调机制校外培训机构名录。审批单位：县科经局；登记单位：县市场监管局；监管单位：县科经局、县教育局。请按照职责分工做好相关工作。")
        }
    }

    @Test func aLetterGoesToTheUnitsLiaisonAndEscalatesAfterEightWorkingHours() async throws {
        let handlers = try handlers()
        try await NotificationDatabase.with { db in
            let mechanism = SeededMechanism()
            try await mechanism.seed(db, handlers, at: now)
            let event = Fixture.event(EventType.letterIssued, ["letter": [
                "id": UUID().uuidString, "kind": "supervision", "number": "房双减督〔2026〕3号",
                "unitId": "market-regulation-bureau", "subject": "校外培训违规广告整治", "replyDue": "2026-10-09",
            ]], time: now, source: "/shuangjian/scheduling")
            try await db.apply(event, with: handlers)
            let found = try await db.notifications(of: event.id)
            #expect(Set(found.keys) == [mechanism.oldLiaison])
            let letter = try #require(found[mechanism.oldLiaison])
            #expect(letter.notificationClass == "letter")
            #expect(letter.unitId == "market-regulation-bureau")
            #expect(letter.title == "督办函（房双减督〔2026〕3号）：校外培训违规广告整治")
            #expect(letter.body == "协调机制办公室已向县市场监管局发出督办函（房双减督〔2026〕3号），事项：校外培训违规广告整治。请县市场监管局及时签收，并于2026年10月9日前将相关办理情况报协调机制办公室。")
            // Wed 30 Sep 10:00 + 8 working hours: 2 h before noon, 3 h after, then the
            // National Day holiday (1–7 Oct); 3 h more on Thu 8 Oct: 11:30.
            #expect(letter.escalateAt == Fixture.china("2026-10-08 11:30"))
        }
    }

    @Test func seededUnitsNotifyNobodyButUnitsAdmittedByAProposalDo() async throws {
        let handlers = try handlers()
        try await NotificationDatabase.with { db in
            let mechanism = SeededMechanism()
            try await mechanism.seed(db, handlers, at: now)
            #expect(try await db.count("SELECT count(*) FROM notifications") == 0)
            let admitted = Fixture.unitEvent(Fixture.unit("meteorology-bureau", "县气象局", topics: [["facility-safety"]], proposalId: UUID()), time: now)
            try await db.apply(admitted, with: handlers)
            let found = try await db.notifications(of: admitted.id)
            #expect(Set(found.keys) == [mechanism.office, mechanism.convener])
            #expect(found[mechanism.office]?.title == "增加成员单位：县气象局")
            #expect(found[mechanism.office]?.body == "经协调机制研究并报县政府批准（房政函〔2026〕12号），县气象局自2026年9月29日起为房县“双减”工作专门协调机制成员单位。")
        }
    }

    @Test func anOldEventUpdatesTheDirectoryButNotifiesNobody() async throws {
        let handlers = try handlers()
        try await NotificationDatabase.with { db in
            let mechanism = SeededMechanism()
            try await mechanism.seed(db, handlers, at: now)
            let newLiaison = UUID()
            var event = liaisonChange(mechanism, newLiaison: newLiaison)
            event.time = now.addingTimeInterval(-30 * 86_400)
            try await db.apply(event, with: handlers)
            #expect(try await db.count("SELECT count(*) FROM notifications") == 0)
            #expect(try await db.pool.query("SELECT liaison_id FROM directory_units WHERE id = 'market-regulation-bureau'").first!
                .decode(0, as: UUID.self) == newLiaison)
        }
    }

    @Test func proposalEventsNotifyTheOfficeAndTheConveners() async throws {
        let handlers = try handlers()
        try await NotificationDatabase.with { db in
            let mechanism = SeededMechanism()
            try await mechanism.seed(db, handlers, at: now)
            let event = Fixture.event(EventType.proposalDecided, ["proposal": [
                "id": UUID().uuidString, "unitName": "县气象局", "proposedUnitId": "meteorology-bureau", "duties": [[String: Any]](),
                "reason": "承担极端天气预警", "status": "approved", "proposed": ["by": "office-1", "at": "2026-09-20T02:00:00.000Z"],
                "decided": ["by": "county-1", "at": "2026-09-29T02:00:00.000Z", "approved": true, "approvalDocument": "房政函〔2026〕12号"],
                "admittedUnitId": "meteorology-bureau", "version": 3,
            ] as [String: Any]], time: now)
            try await db.apply(event, with: handlers)
            let found = try await db.notifications(of: event.id)
            #expect(Set(found.keys) == [mechanism.office, mechanism.convener])
            #expect(found[mechanism.convener]?.title == "县政府批准增加成员单位：县气象局")
            #expect(found[mechanism.convener]?.body == "县政府已批准增加县气象局为房县“双减”工作专门协调机制成员单位，批准文号：房政函〔2026〕12号。")
            #expect(found[mechanism.convener]?.unitId == nil)
        }
    }
}
