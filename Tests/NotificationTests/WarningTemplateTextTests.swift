import Domain
import EventFlow
import Foundation
import Testing

@testable import Notification

/// The inspection service's warnings (Rules/routing.json), rendered for a
/// realistic event each and compared whole, with who gets them by level. The
/// county is TemplateTextTests': 县教育局 (liaison 刘洋) and 县市场监管局 (member
/// 王副局长, liaison 陈静) answer for the warnings here.
@Suite(.enabled(if: NotificationDatabase.isConfigured, "needs SJ_TEST_DATABASE_URL (scripts/test.sh)"))
struct WarningTemplateTextTests {
    typealias Text = TemplateTextTests.Text
    let base = TemplateTextTests()
    var now: Date { base.now }

    /// A warning as the inspection service publishes it (the members the rules read, and more).
    func warning(_ level: String, status: String = "raised", extra: [String: Any] = [:]) -> [String: Any] {
        var warning: [String: Any] = [
            "id": "5B8E2C1A-3F4D-4E5F-8A9B-0C1D2E3F4A5B",
            "subject": ["kind": "institution", "key": "institution:x", "name": "房县启航培训学校", "registered": true],
            "level": level, "status": status, "score": 8,
            "responsibleUnits": [
                ["unitId": "education-bureau", "name": "县教育局", "role": "lead", "basis": ["supervising"]],
                ["unitId": "market-regulation-bureau", "name": "县市场监管局", "role": "assisting", "basis": ["daily-supervision"]],
            ],
            "responsibleUnitIds": ["education-bureau", "market-regulation-bureau"],
            "levelHistory": [], "handlingSteps": [], "specialStudyRequested": false,
            "raisedAt": "2026-09-30T02:00:00.000Z", "version": 1, "updatedAt": "2026-09-30T02:00:00.000Z",
        ]
        warning.merge(extra) { $1 }
        return warning
    }

    func event(_ type: String, _ data: [String: Any]) -> CloudEvent {
        Fixture.event(type, data, time: now, source: "/shuangjian/inspection")
    }

    @Test func aBlueWarningReachesTheResponsibleUnitsLiaisons() async throws {
        let (county, found) = try await base.texts { _ in event(EventType.warningRaised, ["warning": warning("blue")]) }
        #expect(Set(found.keys) == [county.educationLiaison, county.marketLiaison])
        #expect(try base.text(found) == Text(
            title: "蓝色预警：房县启航培训学校",
            body: "经专题研判，房县启航培训学校相关风险信号已达到蓝色预警标准，现发出蓝色预警。责任单位：县教育局、县市场监管局。请按照职责分工及时核实处置，并将处置情况报协调机制办公室。"))
    }

    @Test func anOrangeWarningAlsoReachesTheOffice() async throws {
        let (county, found) = try await base.texts { _ in event(EventType.warningRaised, ["warning": warning("orange")]) }
        #expect(Set(found.keys) == [county.educationLiaison, county.marketLiaison, county.office])
        #expect(try base.text(found) == Text(
            title: "橙色预警：房县启航培训学校",
            body: "经专题研判，房县启航培训学校相关风险信号已达到橙色预警标准，现发出橙色预警。责任单位：县教育局、县市场监管局。请按照职责分工及时处置，并将处置情况报协调机制办公室。"))
    }

    @Test func aRedWarningReachesMembersTheOfficeAndTheConveners() async throws {
        let (county, found) = try await base.texts { _ in event(EventType.warningRaised, ["warning": warning("red")]) }
        #expect(Set(found.keys) == [county.educationLiaison, county.marketLiaison, county.marketMember, county.office, county.convener])
        #expect(try base.text(found) == Text(
            title: "红色预警：房县启航培训学校",
            body: "经专题研判，房县启航培训学校相关风险信号已达到红色预警标准，现发出红色预警。责任单位：县教育局、县市场监管局。请立即按照职责分工做好处置工作，并将处置情况报协调机制办公室。"))
    }

    @Test func escalations() async throws {
        let (county, yellow) = try await base.texts { _ in
            event(EventType.warningEscalated, ["warning": warning("yellow"), "previousLevel": "blue"])
        }
        #expect(Set(yellow.keys) == [county.educationLiaison, county.marketLiaison])
        #expect(try base.text(yellow) == Text(
            title: "预警升级为黄色：房县启航培训学校",
            body: "房县启航培训学校预警由蓝色升级为黄色。责任单位：县教育局、县市场监管局。请按照职责分工及时核实处置，并将处置情况报协调机制办公室。"))
        let (_, orange) = try await base.texts { _ in
            event(EventType.warningEscalated, ["warning": warning("orange"), "previousLevel": "yellow"])
        }
        #expect(try base.text(orange) == Text(
            title: "预警升级为橙色：房县启航培训学校",
            body: "房县启航培训学校预警由黄色升级为橙色。责任单位：县教育局、县市场监管局。请按照职责分工及时处置，并将处置情况报协调机制办公室。"))
        let (redCounty, red) = try await base.texts { _ in
            event(EventType.warningEscalated, ["warning": warning("red"), "previousLevel": "orange"])
        }
        #expect(Set(red.keys) == [redCounty.educationLiaison, redCounty.marketLiaison, redCounty.marketMember, redCounty.office, redCounty.convener])
        #expect(try base.text(red) == Text(
            title: "预警升级为红色：房县启航培训学校",
            body: "房县启航培训学校预警由橙色升级为红色。责任单位：县教育局、县市场监管局。请立即按照职责分工做好处置工作，并将处置情况报协调机制办公室。"))
    }

    @Test func theOfficesActs() async throws {
        let (county, changed) = try await base.texts { _ in
            event(EventType.warningLevelChanged, ["warning": warning("yellow", status: "confirmed"), "previousLevel": "red",
                                                  "reason": "经核实，该机构已停止违规培训。"])
        }
        #expect(Set(changed.keys) == [county.educationLiaison, county.marketLiaison, county.office])
        #expect(try base.text(changed) == Text(
            title: "预警等级调整为黄色：房县启航培训学校",
            body: "经协调机制办公室研判，房县启航培训学校预警由红色调整为黄色，理由：经核实，该机构已停止违规培训。请责任单位（县教育局、县市场监管局）按照调整后的等级做好处置工作。"))

        let (circulatedCounty, circulated) = try await base.texts { _ in
            event(EventType.warningCirculated, ["warning": warning("orange", status: "circulated", extra: [
                "circulated": ["by": "office-1", "at": "2026-09-30T02:00:00.000Z", "note": "该机构在“双减”后仍违规开展学科类培训，已责令整改"],
            ])])
        }
        #expect(Set(circulated.keys) == [circulatedCounty.educationLiaison, circulatedCounty.marketLiaison, circulatedCounty.office, circulatedCounty.convener])
        #expect(try base.text(circulated) == Text(
            title: "预警通报：房县启航培训学校",
            body: "协调机制办公室通报房县启航培训学校橙色预警：该机构在“双减”后仍违规开展学科类培训，已责令整改。请各责任单位（县教育局、县市场监管局）加强处置，并将处置情况报协调机制办公室。"))

        let (closedCounty, closed) = try await base.texts { _ in
            event(EventType.warningClosed, ["warning": warning("yellow", status: "closed", extra: [
                "closed": ["by": "office-1", "at": "2026-09-30T02:00:00.000Z", "note": "已退还预收费用并停业整顿。"],
            ])])
        }
        #expect(Set(closed.keys) == [closedCounty.educationLiaison, closedCounty.marketLiaison])
        #expect(try base.text(closed) == Text(
            title: "预警解除：房县启航培训学校",
            body: "房县启航培训学校黄色预警已处置完毕，协调机制办公室已解除该预警。处置情况：已退还预收费用并停业整顿。"))
        // A confirmation is the office's own act: nobody is told.
        let (_, confirmed) = try await base.texts { _ in event(EventType.warningConfirmed, ["warning": warning("blue", status: "confirmed")]) }
        #expect(confirmed.isEmpty)
    }

    @Test func aSpecialStudyRequestReachesTheConvenersAndTheOffice() async throws {
        let (county, found) = try await base.texts { _ in
            event(EventType.specialStudyRequested, [
                "warning": warning("red"),
                "request": [
                    "id": "5B8E2C1A-3F4D-4E5F-8A9B-0C1D2E3F4A01", "warningId": "5B8E2C1A-3F4D-4E5F-8A9B-0C1D2E3F4A5B",
                    "title": "关于房县启航培训学校红色预警的专题研判", "level": "red",
                    "subject": ["kind": "institution", "key": "institution:x", "name": "房县启航培训学校"],
                    "unitIds": ["education-bureau", "market-regulation-bureau"], "requestedAt": "2026-09-30T02:00:00.000Z",
                    "holdBy": "2026-10-09", "provisional": false, "reason": "score 8 reached the red threshold 8",
                ] as [String: Any],
            ])
        }
        #expect(Set(found.keys) == [county.convener, county.office])
        #expect(try base.text(found) == Text(
            title: "提请专题研判：关于房县启航培训学校红色预警的专题研判",
            body: "房县启航培训学校预警已达到红色。按照专题研判制度，提请召集人于2026年10月9日前组织相关成员单位（县教育局、县市场监管局）召开专题研判会议。"))
    }
}
