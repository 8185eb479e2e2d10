import Domain
import EventFlow
import Foundation
import Testing

@testable import Notification

struct RulesTests {
    /// A rules file needs the escalation's texts besides its rules.
    static let escalation = #"{"title": "逾期未签收：{{original.title}}", "body": "{{unit.name}}{{original.recipientName}}"}"#

    func load(_ rules: String, labels: String = "{}") throws -> RoutingRules {
        try RoutingRules(json: Data(#"{"labels": \#(labels), "escalation": \#(Self.escalation), "rules": [\#(rules)]}"#.utf8))
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
            #expect(!rules.rules(for: type).isEmpty, "no rule for \(type)")
        }
        let letter = try #require(rules.rules(for: EventType.letterIssued).first)
        #expect(letter.notificationClass == .letter)
        #expect(letter.escalateAfterWorkingHours == 8)
        #expect(letter.recipients == [RecipientClause(.liaison(unit: JSONPath("letter.unitId")!), fallback: [.member, .office])])
        let liaison = rules.rules(for: EventType.liaisonChanged)
        #expect(liaison.map(\.when) == [.present(JSONPath("previousLiaisonId")!, true), .present(JSONPath("liaison.id")!, true)])
        #expect(liaison.first?.recipients.map(\.spec) == [
            .person(id: JSONPath("liaison.id")!), .person(id: JSONPath("previousLiaisonId")!), .member(unit: JSONPath("unit.id")!), .office,
        ])
        #expect(rules.rules(for: EventType.proposalSubmitted).first?.recipients.map(\.spec) == [.office, .conveners])
        #expect(rules.rules(for: EventType.proposalDecided).map(\.when) == [
            .equals(JSONPath("proposal.decided.approved")!, "true"), .equals(JSONPath("proposal.decided.approved")!, "false"),
        ])
        let status = try #require(rules.rules(for: EventType.institutionStatusChanged).first)
        #expect(status.recipients.map(\.spec).contains(.office))
        #expect(status.recipients.contains { $0.when == .oneOf(JSONPath("institution.status")!, ["suspended", "revoked", "closed"]) })
        // Info rules never escalate.
        #expect(liaison.allSatisfy { $0.escalateAfterWorkingHours == nil })
    }

    @Test func aMinimalRuleLoadsWithBareStringRecipientsAndTheDefaultEscalation() throws {
        let rules = try RoutingRules(json: Data(#"""
            {"defaults": {"escalateAfterWorkingHours": 4}, "escalation": \#(Self.escalation),
             "rules": [{"eventType": "cn.gov.fangxian.shuangjian.scheduling.letter.issued.v1", "class": "letter",
                        "recipients": ["office", {"kind": "liaison", "unit": "letter.unitId"}],
                        "title": "{{letter.subject}}", "body": "请于{{letter.replyDue|date}}前回复"}]}
            """#.utf8))
        let letter = try #require(rules.rules(for: EventType.letterIssued).first)
        #expect(letter.escalateAfterWorkingHours == 4)
        // A letter's liaison clause falls back to the unit's member and the office by default.
        #expect(letter.recipients == [
            RecipientClause(.office), RecipientClause(.liaison(unit: JSONPath("letter.unitId")!), fallback: [.member, .office]),
        ])
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

    /// A rule after one that takes every event of its type, or after one with
    /// the same `when`, would never apply.
    @Test func unreachableRulesAreAnError() {
        let rule = #"{"eventType": "\#(Self.liaisonChanged)", "class": "info", "recipients": ["office"], "title": "t", "body": "b"}"#
        var found = problems(rule + ", " + rule)
        #expect(found == [
            "rules[1] (\(Self.liaisonChanged)): unreachable: rules[0] routes every \(Self.liaisonChanged) event (it has no \"when\"); put the rules with \"when\" first",
        ])
        let conditional = #"{"eventType": "\#(Self.liaisonChanged)", "class": "info", "recipients": ["office"], "title": "t", "body": "b", "when": {"path": "previousLiaisonId", "present": true}}"#
        found = problems(conditional + ", " + conditional)
        #expect(found == ["rules[1] (\(Self.liaisonChanged)): unreachable: rules[0] has the same \"when\""])
        // With "when" first, then a rule for the rest: fine.
        #expect(throws: Never.self) { try load(conditional + ", " + rule) }
    }

    /// One rule per outcome: the first whose `when` holds routes the event.
    @Test func theFirstRuleWhoseConditionHoldsApplies() throws {
        let decided = EventType.proposalDecided
        let rules = try load(#"""
            {"eventType": "\#(decided)", "class": "info", "recipients": ["office"], "title": "批准", "body": "{{proposal.decided.approvalDocument}}",
             "when": {"path": "proposal.decided.approved", "equals": true}},
            {"eventType": "\#(decided)", "class": "info", "recipients": ["office"], "title": "不予批准", "body": "{{proposal.decided.reason}}",
             "when": {"path": "proposal.decided.approved", "equals": false}},
            {"eventType": "\#(EventType.institutionStatusChanged)", "class": "info", "recipients": ["office"], "title": "停", "body": "b",
             "when": {"path": "institution.status", "in": ["suspended", "revoked"]}},
            {"eventType": "\#(EventType.institutionStatusChanged)", "class": "info", "recipients": ["office"], "title": "其他", "body": "b"}
            """#)
        func json(_ text: String) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }
        #expect(rules.rule(for: decided, data: try json(#"{"proposal": {"decided": {"approved": true}}}"#))?.title.source == "批准")
        #expect(rules.rule(for: decided, data: try json(#"{"proposal": {"decided": {"approved": false}}}"#))?.title.source == "不予批准")
        #expect(rules.rule(for: decided, data: try json(#"{"proposal": {}}"#)) == nil)
        let status = EventType.institutionStatusChanged
        #expect(rules.rule(for: status, data: try json(#"{"institution": {"status": "revoked"}}"#))?.title.source == "停")
        #expect(rules.rule(for: status, data: try json(#"{"institution": {"status": "approved"}}"#))?.title.source == "其他")
        #expect(rules.rule(for: EventType.letterIssued, data: try json("{}")) == nil)
        // Numbers compare by their text.
        #expect(RuleCondition.equals(JSONPath("a")!, "3").holds(for: try json(#"{"a": 3}"#)))
        #expect(!RuleCondition.oneOf(JSONPath("a")!, ["x"]).holds(for: try json("{}")))
    }

    @Test func conditionsAndFallbacksAreChecked() {
        let found = problems(#"""
            {"eventType": "\#(Self.liaisonChanged)", "class": "info", "title": "t", "body": "b",
             "when": {"path": "previousLiaisonId", "present": true, "equals": "x"},
             "recipients": [{"kind": "liaison", "unit": "unit.id", "fallback": ["member"]},
                            {"kind": "office", "when": {"path": "unit.id", "in": []}},
                            {"kind": "units-with-topic", "topics": ["fire-safety", "weather"], "when": {"path": "unit.nope", "equals": "x"}}]},
            {"eventType": "\#(EventType.letterIssued)", "class": "letter", "title": "t", "body": "b",
             "recipients": [{"kind": "liaison", "unit": "letter.unitId", "fallback": []},
                            {"kind": "member", "unit": "letter.unitId", "fallback": ["office"]},
                            {"kind": "liaison", "unit": "letter.unitId", "fallback": ["principal"]}]}
            """#)
        let expected = [
            #"rules[0] (\#(Self.liaisonChanged)): when: give exactly one of "present""#,
            "rules[0] (\(Self.liaisonChanged)): recipients[0]: fallback is for letter-class rules only",
            "rules[0] (\(Self.liaisonChanged)): recipients[1].when: in must be a non-empty list",
            #"rules[0] (\#(Self.liaisonChanged)): recipients[2]: unknown topic "weather""#,
            "rules[0] (\(Self.liaisonChanged)): recipients[2].when.path: \(Self.liaisonChanged) has no field unit.nope",
            "rules[1] (\(EventType.letterIssued)): recipients[0]: fallback is empty",
            "rules[1] (\(EventType.letterIssued)): recipients[1]: fallback is for liaison recipients only",
            #"rules[1] (\#(EventType.letterIssued)): recipients[2]: unknown fallback "principal""#,
        ]
        for text in expected {
            #expect(found.contains { $0.hasPrefix(text) }, "missing: \(text) in \(found)")
        }
        #expect(found.count == expected.count, "\(found)")
    }

    @Test func theEscalationTextsAreRequiredAndChecked() {
        func problems(_ file: String) -> [String] {
            do {
                _ = try RoutingRules(json: Data(file.utf8))
                return []
            } catch let error as RoutingRulesError {
                return error.problems
            } catch {
                return ["\(error)"]
            }
        }
        #expect(problems(#"{"rules": []}"#) == [#"escalation: missing; give the "title" and "body" of an overdue letter's escalation"#])
        #expect(problems(#"{"rules": [], "escalation": {"title": "{{original.title}}", "body": "{{letter.number}}，，"}}"#) == [
            #"escalation: body: doubled punctuation "，，" in "{{letter.number}}，，""#,
        ])
        #expect(problems(#"{"rules": [], "escalation": {"title": "{{original.title}}", "body": "{{letter.number}}"}}"#) == [
            "escalation: body: unknown placeholder {{letter.number}}: the escalation has no field letter.number",
        ])
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

    @Test func personNamesAndQuotes() throws {
        let someone = UUID()
        let template = try Template("由{{a.previous|person}}同志调整；{{a.title|quote}}；{{a.unknown|person}}")
        let data = try JSONDecoder().decode(JSONValue.self, from: Data(#"""
            {"a": {"previous": "\#(someone.uuidString)", "title": "关于“双减”工作的协调函", "unknown": "not-a-person"}}
            """#.utf8))
        let text = template.render(Template.Context(
            data: data, eventTime: nil, recipientName: "", labels: [:], unitNames: [:], personNames: [someone: "陈静"]))
        #expect(text == "由陈静同志调整；“关于‘双减’工作的协调函”；not-a-person")
    }

    /// A value's own final mark and the template's next mark never both stay.
    @Test(arguments: [
        ("重叠", "理由：重叠。"),
        ("重叠。", "理由：重叠。"),
        ("重叠。 ", "理由：重叠。"),
        ("重叠；", "理由：重叠。"),
        ("重叠.", "理由：重叠。"),
        ("职责重叠，", "理由：职责重叠。"),
        ("太危险！", "理由：太危险！"),
        ("是否重叠？", "理由：是否重叠？"),
        ("尚待研究……", "理由：尚待研究……"),
        ("他说“不行。”", "理由：他说“不行。”"),
        ("（见附件）", "理由：（见附件）。"),
    ])
    func noDoubledPunctuationBeforeAFullStop(_ reason: String, _ expected: String) throws {
        let template = try Template("理由：{{reason}}。")
        let data = JSONValue.object(["reason": .string(reason)])
        #expect(template.render(Template.Context(data: data, eventTime: nil, recipientName: "", labels: [:], unitNames: [:])) == expected)
    }

    @Test func aValueBeforeACommaLosesItsFullStop() throws {
        let template = try Template("原因：{{reason}}，请跟进。{{next}}")
        let data = JSONValue.object(["reason": .string("消防检查不合格。"), "next": .string("无")])
        #expect(template.render(Template.Context(data: data, eventTime: nil, recipientName: "", labels: [:], unitNames: [:]))
            == "原因：消防检查不合格，请跟进。无")
        // Text with no mark after the value is left alone.
        let plain = try Template("{{reason}}请跟进")
        #expect(plain.render(Template.Context(data: data, eventTime: nil, recipientName: "", labels: [:], unitNames: [:]))
            == "消防检查不合格。请跟进")
    }

    @Test func aTemplateThatDoublesPunctuationItselfIsRefused() {
        #expect(throws: TemplateError("doubled punctuation \"。。\" in \"理由：{{reason}}。。\"")) { try Template("理由：{{reason}}。。") }
        #expect(throws: TemplateError("doubled punctuation \"，。\" in \"好，。\"")) { try Template("好，。") }
        #expect(throws: Never.self) { try Template("尚待研究……{{a}}") }
    }
}
