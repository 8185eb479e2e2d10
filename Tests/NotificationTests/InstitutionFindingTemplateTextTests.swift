import Domain
import EventFlow
import Foundation
import Testing

@testable import Notification

/// A training institution's finding (Rules/routing.json): published for the
/// office and the units that act on it, its text compared whole.
@Suite(.enabled(if: NotificationDatabase.isConfigured, "needs SJ_TEST_DATABASE_URL (scripts/test.sh)"))
struct InstitutionFindingTemplateTextTests {
    typealias Text = TemplateTextTests.Text
    let base = TemplateTextTests()

    @Test func anInstitutionsFindingReachesTheOfficeAndTheActingUnits() async throws {
        let campaigns = CampaignTemplateTextTests()
        let (county, found) = try await base.texts { county in
            var finding = campaigns.finding(county, status: "open")
            finding["subjectKind"] = "institution"
            finding["institutionId"] = "6C5B4A39-2817-4F6E-9D8C-7B6A59483726"
            finding["institutionName"] = "房县启航培训学校"
            finding["responsibleUnitIds"] = ["education-bureau", "market-regulation-bureau"]
            finding["description"] = "预收费未全部进入监管账户，存在一次性收取超过5000元的情况"
            return Fixture.event(EventType.findingRaised, ["finding": finding], time: base.now, source: "/shuangjian/inspection")
        }
        #expect(Set(found.keys) == [county.educationLiaison, county.marketLiaison, county.office])
        #expect(try base.text(found) == Text(
            title: "校外培训机构检查发现问题：房县启航培训学校",
            body: "在“2026年‘双减’工作联合指导检查”中，联合工作组检查房县启航培训学校发现以下问题：预收费未全部进入监管账户，存在一次性收取超过5000元的情况。责任单位：县教育局、县市场监管局。请县教育局牵头，按照职责分工依法依规处理，并于2026年12月14日前将处理情况报协调机制办公室。"))
    }
}
