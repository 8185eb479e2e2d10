import Domain
import Foundation
import Testing

@testable import Notification

struct RulesTests {
    func load(_ rules: String, labels: String = "{}") throws -> RoutingRules {
        try RoutingRules(json: Data(#"{"labels": \#(labels), "rules": [\#(rules)]}"#.utf8))
    }

    func problems(_ rules: String, labels: String = "{}") -> [String] {
        do {
            _ = try load(rules, labels: labels)
            Issue.record("expected the rules to be rejected")
            return []
        } catch let error as RoutingRulesError {
            return error.problems
        } catch {
            Issue.record("unexpected error \(error)")
            return []
        }
    }

    static let liaisonChanged = "cn.gov.fangxian.shuangjian.registry.liaison.changed.v1"

    @Test func theBundledRulesLoad() throws {
        let rules = try RoutingRules.bundled()
        for type in [
            EventType.unitAdmitted, EventType.liaisonChanged, EventType.proposalSubmitted,
            EventType.proposalStudied, EventType.proposalDecided, EventType.institutionRegistered,
            EventType.institutionStatusChanged, EventType.letterIssued,
        ] {
            #expect(rules[type] != nil, "no rule for \(type)")
        }
        let letter = try #require(rules[EventType.letterIssued])
        #expect(letter.notificationClass == .letter)
        #expect(letter.escalateAfterWorkingHours == 8)
        #expect(letter.recipients == [.liaison(unit: JSONPath("letter.unitId")!)])
        #expect(rules[EventType.liaisonChanged]?.recipients
            == [.person(id: JSONPath("liaison.id")!), .member(unit: JSONPath("unit.id")!), .office])
        #expect(rules[EventType.proposalSubmitted]?.recipients == [.office, .conveners])
        #expect(rules[EventType.institutionStatusChanged]?.recipients.contains(.office) == true)
        // Info rules never escalate.
        #expect(rules[EventType.liaisonChanged]?.escalateAfterWorkingHours == nil)
    }

    @Test func aMinimalRuleLoadsWithBareStringRecipientsAndTheDefaultEscalation() throws {
        let rules = try RoutingRules(json: Data(#"""
            {"defaults": {"escalateAfterWorkingHours": 4},
             "rules": [{"eventType": "cn.gov.fangxian.shuangjian.scheduling.letter.issued.v1", "class": "letter",
                        "recipients": ["office", {"kind": "liaison", "unit": "letter.unitId"}],
                        "title": "{{letter.subject}}", "body": "请于{{letter.replyDue|date}}前回复"}]}
            """#.utf8))
        #expect(rules[EventType.letterIssued]?.escalateAfterWorkingHours == 4)
        #expect(rules[EventType.letterIssued]?.recipients == [.office, .liaison(unit: JSONPath("letter.unitId")!)])
    }

    @Test func anUnknownRecipientKindIsAnError() {
        let found = problems(#"""
            {"eventType": "\#(Self.liaisonChanged)", "class": "info", "recipients": [{"kind": "principal"}],
             "title": "t", "body": "b"}
            """#)
        #expect(found.count == 1)
        #expect(found.first?.contains(#"unknown recipient kind "principal""#) == true)
        #expect(found.first?.contains("rules[0] (\(Self.liaisonChanged))") == true)
    }

    @Test func anUnknownPlaceholderIsAnError() {
        let found = problems(#"""
            {"eventType": "\#(Self.liaisonChanged)", "class": "info", "recipients": ["office"],
             "title": "{{unit.name}}联络员变更为{{liaison.fullName}}", "body": "{{unit.nmae}}"}
            """#)
        #expect(found.count == 2)
        #expect(found.contains { $0.contains("title: unknown placeholder {{liaison.fullName}}") })
        #expect(found.contains { $0.contains("body: unknown placeholder {{unit.nmae}}") })
    }

    @Test func duplicateEventTypesAreAnError() {
        let rule = #"{"eventType": "\#(Self.liaisonChanged)", "class": "info", "recipients": ["office"], "title": "t", "body": "b"}"#
        let found = problems(rule + ", " + rule)
        #expect(found == ["rules[1] (\(Self.liaisonChanged)): duplicate event type \(Self.liaisonChanged); one rule per event type"])
    }

    @Test func otherMistakesAreListedTogether() {
        let found = problems(#"""
            {"eventType": "cn.gov.fangxian.shuangjian.registry.unit.exploded.v1", "class": "info", "recipients": ["office"],
             "title": "t", "body": "b"},
            {"eventType": "\#(Self.liaisonChanged)", "class": "urgent", "escalateAfterWorkingHours": 4,
             "recipients": [{"kind": "liaison"}, {"kind": "member", "unit": "unit.nope"},
                            {"kind": "units-with-topic", "topics": "unit.id", "who": "office"}],
             "title": "{{unit.name|upper}}", "body": "{{unit.name|label}} {{unit.name"},
            {"eventType": "cn.gov.fangxian.shuangjian.scheduling.letter.issued.v1", "class": "letter",
             "escalateAfterWorkingHours": 0, "recipients": [], "title": "t", "body": "b"}
            """#)
        let expected = [
            "unknown event type cn.gov.fangxian.shuangjian.registry.unit.exploded.v1",
            #"unknown class "urgent""#,
            #"recipients[0]: liaison needs "unit""#,
            "recipients[1].unit: \(Self.liaisonChanged) has no field unit.nope",
            #"recipients[2]: who must be liaison or member, not "office""#,
            #"title: placeholder {{unit.name|upper}}: unknown filter "upper""#,
            "body: unclosed {{",
            "escalateAfterWorkingHours is for letter-class rules only",
            "no recipients",
            "escalateAfterWorkingHours must be positive, not 0",
        ]
        for text in expected {
            #expect(found.contains { $0.contains(text) }, "missing: \(text) in \(found)")
        }
    }

    @Test func aLabelFilterNeedsALabelTable() {
        let found = problems(#"""
            {"eventType": "cn.gov.fangxian.shuangjian.registry.institution.status-changed.v1", "class": "info",
             "recipients": ["office"], "title": "{{institution.status|label}}", "body": "{{previousStatus|label}}"}
            """#, labels: #"{"previousStatus": {"closed": "已停办"}}"#)
        #expect(found == [
            #"rules[0] (cn.gov.fangxian.shuangjian.registry.institution.status-changed.v1): title: {{institution.status|label}} uses |label but labels has no "institution.status""#,
        ])
    }

    @Test func templatesFillListsDatesLabelsUnitsAndMissingFields() throws {
        let template = try Template("{{a.list}}|{{a.when|date}}|{{a.when|time}}|{{a.day|date}}|{{a.kind|label}}|{{a.units|unit}}|{{a.none}}|{{a.count}}|{{recipient.name}}")
        let data = try JSONDecoder().decode(JSONValue.self, from: Data(#"""
            {"a": {"list": ["x", "y"], "when": "2026-10-08T09:30:00.000Z", "day": "2026-10-09", "kind": "supervision",
                   "units": ["education-bureau", "unknown-unit"], "count": 3}}
            """#.utf8))
        let text = template.render(Template.Context(
            data: data, eventTime: nil, recipientName: "张三", labels: ["a.kind": ["supervision": "督办函"]],
            unitNames: ["education-bureau": "县教育局"]))
        #expect(text == "x、y|2026年10月8日|2026年10月8日 17:30|2026年10月9日|督办函|县教育局、unknown-unit|无|3|张三")
    }
}
