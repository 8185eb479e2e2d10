import Domain
import EventFlow
import Foundation
import Postgres
import ServiceKit
import Testing

@testable import Notification

/// Every text of Rules/routing.json, rendered for one realistic event each
/// and compared whole (title and body), so a reader of Chinese can review
/// them here; the escalation's text is in EscalationTests.
@Suite(.enabled(if: NotificationDatabase.isConfigured, "needs SJ_TEST_DATABASE_URL (scripts/test.sh)"))
struct TemplateTextTests {
    let now = Fixture.china("2026-09-30 10:00")

    /// The county as these tests need it: the office (李主任) and a convener
    /// (周县长); 县市场监管局 with its member and liaison; 县教育局, 县科经局,
    /// 县行政审批局 and the units told when an institution is suspended, each
    /// with a liaison; 县财政局 with a member but no liaison.
    struct County {
        let office = UUID(), convener = UUID()
        let marketMember = UUID(), marketLiaison = UUID(), financeMember = UUID()
        let educationLiaison = UUID(), scienceLiaison = UUID(), approvalLiaison = UUID()
        let publicityLiaison = UUID(), fireLiaison = UUID(), financialLiaison = UUID()

        func seed(_ db: NotificationDatabase, _ handlers: EventHandlers, at time: Date) async throws {
            let units: [[String: Any]] = [
                Fixture.unit("publicity-department", "县委宣传部(县委网信办)", topics: [["publicity"], ["advertising", "textbooks"]],
                             liaison: publicityLiaison),
                Fixture.unit("education-bureau", "县教育局", topics: [["coordination"], ["daily-supervision"]], liaison: educationLiaison),
                Fixture.unit("science-economy-bureau", "县科经局", topics: [["approval-standards"], ["approval"], ["daily-supervision"]],
                             liaison: scienceLiaison),
                Fixture.unit("finance-bureau", "县财政局", topics: [["funding", "after-school-service"]], member: financeMember),
                Fixture.unit("market-regulation-bureau", "县市场监管局", topics: [["registration"], ["price-supervision"], ["advertising"]],
                             member: marketMember, liaison: marketLiaison),
                Fixture.unit("financial-affairs-office", "县金融办", topics: [["law-enforcement"], ["prepaid-fee-risk"], ["financing"]],
                             liaison: financialLiaison),
                Fixture.unit("administrative-approval-bureau", "县行政审批局", topics: [["approval", "registration"]], liaison: approvalLiaison),
                Fixture.unit("fire-rescue-brigade", "县消防救援大队", topics: [["fire-safety", "earthquake-safety", "facility-safety"]],
                             liaison: fireLiaison),
            ]
            let people: [[String: Any]] = [
                Fixture.person(office, "李主任", unit: "education-bureau", roles: ["office"]),
                Fixture.person(convener, "周县长", unit: nil, roles: ["convener"]),
                Fixture.person(marketMember, "王副局长", unit: "market-regulation-bureau", roles: ["member"]),
                Fixture.person(marketLiaison, "陈静", unit: "market-regulation-bureau", roles: ["liaison"]),
                Fixture.person(financeMember, "赵副局长", unit: "finance-bureau", roles: ["member"]),
                Fixture.person(educationLiaison, "刘洋", unit: "education-bureau", roles: ["liaison"]),
                Fixture.person(scienceLiaison, "孙磊", unit: "science-economy-bureau", roles: ["liaison"]),
                Fixture.person(approvalLiaison, "周敏", unit: "administrative-approval-bureau", roles: ["liaison"]),
                Fixture.person(publicityLiaison, "吴芳", unit: "publicity-department", roles: ["liaison"]),
                Fixture.person(fireLiaison, "郑强", unit: "fire-rescue-brigade", roles: ["liaison"]),
                Fixture.person(financialLiaison, "何丽", unit: "financial-affairs-office", roles: ["liaison"]),
            ]
            for unit in units { try await db.apply(Fixture.unitEvent(unit, time: time), with: handlers) }
            for person in people { try await db.apply(Fixture.personEvent(person, time: time), with: handlers) }
        }
    }

    struct Text: Equatable, CustomStringConvertible {
        var title: String
        var body: String
        var description: String { "\(title) | \(body)" }
    }

    /// Seeds the county, applies `event`; the text each recipient got.
    func texts(of event: (County) -> CloudEvent) async throws -> (County, [UUID: Text]) {
        let now = self.now
        let handlers = NotificationHandlers.make(rules: try RoutingRules.bundled(), clock: { now })
        return try await NotificationDatabase.with { db in
            let county = County()
            try await county.seed(db, handlers, at: now)
            let applied = event(county)
            try await db.apply(applied, with: handlers)
            let found = try await db.notifications(of: applied.id).mapValues { Text(title: $0.title, body: $0.body) }
            return (county, found)
        }
    }

    /// The one text every recipient got.
    func text(_ found: [UUID: Text]) throws -> Text {
        let texts = Set(found.values.map(\.description))
        #expect(texts.count == 1, "\(texts)")
        return try #require(found.values.first)
    }

    // MARK: Units and liaisons

    @Test func aUnitAdmittedByTheCountyGovernment() async throws {
        let (county, found) = try await texts { _ in
            Fixture.unitEvent(Fixture.unit("meteorology-bureau", "县气象局", topics: [["facility-safety"]], proposalId: UUID()), time: now)
        }
        #expect(Set(found.keys) == [county.office, county.convener])
        #expect(try text(found) == Text(
            title: "增加成员单位：县气象局",
            body: "经协调机制研究并报县政府批准（房政函〔2026〕12号），县气象局自2026年9月29日起为房县“双减”工作专门协调机制成员单位。"))
    }

    /// The unit's whole state with its new liaison (its member kept), as the registry publishes it.
    func liaisonChange(unit: (String, String), member: UUID, liaison: UUID, name: String, previous: UUID?) -> CloudEvent {
        var data: [String: Any] = [
            "unit": Fixture.unit(unit.0, unit.1, member: member, liaison: liaison, version: 2),
            "liaison": Fixture.person(liaison, name, unit: unit.0, roles: ["liaison"], version: 1),
        ]
        if let previous { data["previousLiaisonId"] = previous.uuidString }
        return Fixture.event(EventType.liaisonChanged, data, time: now)
    }

    @Test func aLiaisonReplaced() async throws {
        let newLiaison = UUID()
        let (county, found) = try await texts { county in
            liaisonChange(unit: ("market-regulation-bureau", "县市场监管局"), member: county.marketMember, liaison: newLiaison,
                          name: "张敏", previous: county.marketLiaison)
        }
        // The new and the previous liaison, the unit's member, the office.
        #expect(Set(found.keys) == [newLiaison, county.marketLiaison, county.marketMember, county.office])
        #expect(try text(found) == Text(
            title: "县市场监管局联络员调整为张敏同志",
            body: "自2026年9月30日起，县市场监管局在房县“双减”工作专门协调机制的联络员由陈静同志调整为张敏同志。"))
    }

    @Test func aUnitsFirstLiaison() async throws {
        let liaison = UUID()
        let (county, found) = try await texts { county in
            liaisonChange(unit: ("finance-bureau", "县财政局"), member: county.financeMember, liaison: liaison, name: "钱文", previous: nil)
        }
        #expect(Set(found.keys) == [liaison, county.financeMember, county.office])
        #expect(try text(found) == Text(
            title: "县财政局联络员由钱文同志担任",
            body: "自2026年9月30日起，由钱文同志担任县财政局在房县“双减”工作专门协调机制的联络员。"))
    }

    // MARK: Membership proposals

    func proposal(_ type: String, status: String, studied: [String: Any]? = nil, decided: [String: Any]? = nil) -> CloudEvent {
        var proposal: [String: Any] = [
            "id": UUID().uuidString, "unitName": "县气象局", "proposedUnitId": "meteorology-bureau",
            "duties": [["text": "为校外培训机构安全监管提供灾害性天气预警信息", "topics": ["facility-safety"]]],
            // A reason that ends with its own full stop: it must not be doubled.
            "reason": "为校外培训机构安全监管提供灾害性天气预警信息。", "status": status,
            "proposed": ["by": "office-1", "at": "2026-09-20T02:00:00.000Z"], "version": 1,
        ]
        if let studied { proposal["studied"] = studied }
        if let decided { proposal["decided"] = decided }
        return Fixture.event(type, ["proposal": proposal], time: now)
    }

    static var study: [String: Any] {
        ["by": "office-1", "at": "2026-09-25T02:00:00.000Z", "meetingReference": "2026年第2次全体会议纪要", "recommended": true]
    }

    @Test func aProposalSubmitted() async throws {
        let (county, found) = try await texts { _ in proposal(EventType.proposalSubmitted, status: "proposed") }
        #expect(Set(found.keys) == [county.office, county.convener])
        #expect(try text(found) == Text(
            title: "增加成员单位提议：县气象局",
            body: "协调机制办公室提议增加县气象局为房县“双减”工作专门协调机制成员单位，理由：为校外培训机构安全监管提供灾害性天气预警信息。按照房政办函〔2022〕37号规定，增加成员单位需经协调机制研究后报县政府批准。"))
    }

    @Test func aProposalStudiedAndRecommended() async throws {
        let (_, found) = try await texts { _ in proposal(EventType.proposalStudied, status: "studied", studied: Self.study) }
        #expect(try text(found) == Text(
            title: "增加成员单位提议已经协调机制研究：县气象局",
            body: "协调机制已于2026年9月25日研究增加县气象局为房县“双减”工作专门协调机制成员单位的提议（2026年第2次全体会议纪要），同意报县政府批准。"))
    }

    @Test func aProposalStudiedAndNotRecommended() async throws {
        var study = Self.study
        study["recommended"] = false
        let (county, found) = try await texts { _ in proposal(EventType.proposalStudied, status: "rejected", studied: study) }
        #expect(Set(found.keys) == [county.office, county.convener])
        #expect(try text(found) == Text(
            title: "增加成员单位提议已经协调机制研究：县气象局",
            body: "协调机制已于2026年9月25日研究增加县气象局为房县“双减”工作专门协调机制成员单位的提议（2026年第2次全体会议纪要），不同意报县政府批准。"))
    }

    @Test func aProposalApprovedByTheCountyGovernment() async throws {
        let (county, found) = try await texts { _ in
            proposal(EventType.proposalDecided, status: "approved", studied: Self.study, decided: [
                "by": "county-1", "at": "2026-09-29T02:00:00.000Z", "approved": true, "approvalDocument": "房政函〔2026〕12号",
            ])
        }
        #expect(Set(found.keys) == [county.office, county.convener])
        #expect(try text(found) == Text(
            title: "县政府批准增加成员单位：县气象局",
            body: "县政府已批准增加县气象局为房县“双减”工作专门协调机制成员单位，批准文号：房政函〔2026〕12号。"))
    }

    @Test func aProposalRejectedByTheCountyGovernmentGivesItsReason() async throws {
        let (county, found) = try await texts { _ in
            proposal(EventType.proposalDecided, status: "rejected", studied: Self.study, decided: [
                "by": "county-1", "at": "2026-09-29T02:00:00.000Z", "approved": false,
                "reason": "该单位职责与现有成员单位职责重叠。",
            ])
        }
        #expect(Set(found.keys) == [county.office, county.convener])
        #expect(try text(found) == Text(
            title: "县政府不予批准增加成员单位：县气象局",
            body: "县政府不予批准增加县气象局为房县“双减”工作专门协调机制成员单位，理由：该单位职责与现有成员单位职责重叠。"))
    }

    // MARK: Training institutions

    /// A for-profit 科技类 institution with the units the registry derives for it.
    static func institution(status: String, reason: String? = nil) -> [String: Any] {
        var institution: [String: Any] = [
            "id": "7D1C8E2A-5B4F-4C3D-9E8F-0A1B2C3D4E5F", "creditCode": "92420325MA4F0XY37K", "name": "房县启航科技培训中心",
            "category": "science-technology", "nonProfit": false, "address": "房县城关镇人民路1号", "status": status,
            "whitelisted": false, "blacklisted": false, "version": 2,
            "responsibleUnits": [
                "approving": ["administrative-approval-bureau", "science-economy-bureau"],
                "registering": ["market-regulation-bureau", "administrative-approval-bureau"],
                "standardSetting": ["science-economy-bureau"],
                "supervising": ["education-bureau", "science-economy-bureau", "market-regulation-bureau"],
            ],
            "registeredAt": "2026-09-30T02:00:00.000Z", "updatedAt": "2026-09-30T02:00:00.000Z",
        ]
        if let reason { institution["statusReason"] = reason }
        return institution
    }

    @Test func anInstitutionRegistered() async throws {
        let (county, found) = try await texts { _ in
            Fixture.event(EventType.institutionRegistered, ["institution": Self.institution(status: "pending")], time: now)
        }
        #expect(Set(found.keys) == [county.approvalLiaison, county.scienceLiaison, county.marketLiaison, county.educationLiaison])
        #expect(try text(found) == Text(
            title: "校外培训机构录入：房县启航科技培训中心",
            body: "校外培训机构房县启航科技培训中心（统一社会信用代码：92420325MA4F0XY37K；科技类非学科；营利性）已录入房县“双减”工作专门协调机制校外培训机构名录。审批单位：县行政审批局、县科经局；登记单位：县市场监管局、县行政审批局；监管单位：县教育局、县科经局、县市场监管局。请按照职责分工做好相关工作。"))
    }

    /// Suspended: also the units supervising advertising and teaching
    /// materials, safety and prepaid-fee risk.
    @Test func anInstitutionSuspended() async throws {
        let (county, found) = try await texts { _ in
            Fixture.event(EventType.institutionStatusChanged, [
                "institution": Self.institution(status: "suspended", reason: "消防检查不合格，责令停业整改。"),
                "previousStatus": "approved",
            ], time: now)
        }
        #expect(Set(found.keys) == [
            county.approvalLiaison, county.scienceLiaison, county.marketLiaison, county.educationLiaison,
            county.publicityLiaison, county.fireLiaison, county.financialLiaison, county.office,
        ])
        #expect(try text(found) == Text(
            title: "校外培训机构办学状态变更：房县启航科技培训中心",
            body: "校外培训机构房县启航科技培训中心（统一社会信用代码：92420325MA4F0XY37K）办学状态由“已审批”变更为“暂停办学”，原因：消防检查不合格，责令停业整改。请相关成员单位按照职责分工做好相关工作。"))
    }

    /// Approved again: the responsible units and the office only.
    @Test func anInstitutionApprovedAgain() async throws {
        let (county, found) = try await texts { _ in
            Fixture.event(EventType.institutionStatusChanged, [
                "institution": Self.institution(status: "approved", reason: "整改验收合格，恢复办学"),
                "previousStatus": "suspended",
            ], time: now)
        }
        #expect(Set(found.keys) == [
            county.approvalLiaison, county.scienceLiaison, county.marketLiaison, county.educationLiaison, county.office,
        ])
        #expect(try text(found) == Text(
            title: "校外培训机构办学状态变更：房县启航科技培训中心",
            body: "校外培训机构房县启航科技培训中心（统一社会信用代码：92420325MA4F0XY37K）办学状态由“暂停办学”变更为“已审批”，原因：整改验收合格，恢复办学。请相关成员单位按照职责分工做好相关工作。"))
    }

    // MARK: Letters

    func letter(kind: String, number: String, unit: String, subject: String) -> CloudEvent {
        Fixture.event(EventType.letterIssued, ["letter": [
            "id": UUID().uuidString, "kind": kind, "number": number, "unitId": unit, "subject": subject, "replyDue": "2026-10-09",
        ]], time: now, source: "/shuangjian/scheduling")
    }

    @Test func aSupervisionLetter() async throws {
        let (county, found) = try await texts { _ in
            letter(kind: "supervision", number: "房双减督〔2026〕3号", unit: "market-regulation-bureau", subject: "校外培训违规广告整治")
        }
        #expect(Set(found.keys) == [county.marketLiaison])
        #expect(try text(found) == Text(
            title: "督办函（房双减督〔2026〕3号）：校外培训违规广告整治",
            body: "协调机制办公室已向县市场监管局发出督办函（房双减督〔2026〕3号），事项：校外培训违规广告整治。请县市场监管局及时签收，并于2026年10月9日前将相关办理情况报协调机制办公室。"))
    }

    /// A unit without a liaison: the letter goes to its member and to the
    /// office, and `notification_letters_without_liaison_total{unit}` counts it.
    @Test func aLetterToAUnitWithoutALiaisonGoesToItsMemberAndTheOffice() async throws {
        ServiceMetrics.bootstrap()
        let before = Self.lettersWithoutLiaison("finance-bureau")
        let now = self.now
        let handlers = NotificationHandlers.make(rules: try RoutingRules.bundled(), clock: { now })
        try await NotificationDatabase.with { db in
            let county = County()
            try await county.seed(db, handlers, at: now)
            let event = letter(kind: "coordination", number: "房双减协〔2026〕8号", unit: "finance-bureau", subject: "课后服务经费保障")
            try await db.apply(event, with: handlers)
            let found = try await db.notifications(of: event.id)
            #expect(Set(found.keys) == [county.financeMember, county.office])
            for notification in found.values {
                #expect(notification.notificationClass == "letter")
                #expect(notification.unitId == "finance-bureau")
                #expect(notification.title == "协调函（房双减协〔2026〕8号）：课后服务经费保障")
                #expect(notification.body == "协调机制办公室已向县财政局发出协调函（房双减协〔2026〕8号），事项：课后服务经费保障。请县财政局及时签收，并于2026年10月9日前将相关办理情况报协调机制办公室。")
            }
            // The member's copy escalates (to the office) like the liaison's would; the office's does not.
            #expect(found[county.financeMember]?.escalateAt != nil)
            #expect(found[county.office]?.escalateAt == nil)
            #expect(Self.lettersWithoutLiaison("finance-bureau") == before + 1)
            // A replay creates nothing and counts nothing.
            try await db.apply(event, with: handlers)
            #expect(Self.lettersWithoutLiaison("finance-bureau") == before + 1)
        }
    }

    /// The counter's value as GET /metrics shows it (0 before its first increment).
    static func lettersWithoutLiaison(_ unit: String) -> Int {
        let text = String(decoding: ServiceMetrics.registry.emitToBuffer(), as: UTF8.self)
        let prefix = #"notification_letters_without_liaison_total{unit="\#(unit)"} "#
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else { return 0 }
        return Int(Double(line.dropFirst(prefix.count)) ?? -1)
    }
}
