import Domain
import EventFlow
import Foundation
import Testing

@testable import Notification

/// The joint inspections' notifications (Rules/routing.json), rendered for a
/// realistic event each and compared whole, with who gets them. The county
/// is TemplateTextTests': 县市场监管局's liaison 陈静 and 县科经局's liaison 孙磊
/// inspect 县教育局 (liaison 刘洋) here.
@Suite(.enabled(if: NotificationDatabase.isConfigured, "needs SJ_TEST_DATABASE_URL (scripts/test.sh)"))
struct CampaignTemplateTextTests {
    typealias Text = TemplateTextTests.Text
    let base = TemplateTextTests()
    var now: Date { base.now }

    static let title = "2026年“双减”工作联合指导检查"

    func event(_ type: String, _ data: [String: Any]) -> CloudEvent {
        Fixture.event(type, data, time: now, source: "/shuangjian/inspection")
    }

    func campaign(extra: [String: Any] = [:]) -> [String: Any] {
        var campaign: [String: Any] = [
            "id": "7A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D", "title": Self.title, "basis": "通知 三（三）",
            "scope": "各成员单位落实“双减”职责分工、制定本单位工作方案情况", "subjectKind": "unit",
            "startDate": "2026-12-01", "endDate": "2026-12-31", "rectificationWorkingDays": 10, "extraItems": [], "groups": [],
            "status": "open", "openedBy": "office-1", "openedAt": "2026-11-30T02:00:00.000Z", "version": 1,
            "updatedAt": "2026-11-30T02:00:00.000Z",
        ]
        campaign.merge(extra) { $1 }
        return campaign
    }

    func finding(_ county: TemplateTextTests.County, status: String, round: Int = 1, due: String = "2026-12-14",
                 closed: [String: Any]? = nil) -> [String: Any] {
        var finding: [String: Any] = [
            "id": "1F2E3D4C-5B6A-4978-8695-A4B3C2D1E0F9", "campaignId": "7A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D",
            "campaignTitle": Self.title, "inspectionId": "2A3B4C5D-6E7F-4A8B-9C0D-1E2F3A4B5C6D",
            "groupId": "3B4C5D6E-7F8A-4B9C-8D1E-2F3A4B5C6D7E", "subjectKind": "unit", "unitId": "education-bureau",
            "unitName": "县教育局", "inspectorIds": [county.marketLiaison.uuidString, county.scienceLiaison.uuidString],
            "item": ["id": "d2", "text": "县教育局：会同有关部门加强对校外培训机构日常监管", "basis": "二（二）"],
            "outcome": "not-compliant", "description": "未建立校外培训机构日常监管台账。", "status": status,
            "rectification": [
                "id": "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9/\(round)", "round": round, "title": "整改：未建立台账",
                "unitId": "education-bureau", "assistingUnitIds": [], "assignedAt": "2026-11-30T02:00:00.000Z",
                "dueDate": due, "workingDays": 10, "provisional": false,
            ] as [String: Any],
            "previousRounds": [], "rechecks": [], "raisedAt": "2026-11-30T02:00:00.000Z", "version": 1,
            "updatedAt": "2026-11-30T02:00:00.000Z",
        ]
        if let closed { finding["closed"] = closed }
        return finding
    }

    @Test func theCampaignNoticeReachesEveryMemberUnitsLiaison() async throws {
        let (county, found) = try await base.texts { _ in
            event(EventType.campaignOpened, ["campaign": campaign(), "noticeUnitIds": ["education-bureau", "market-regulation-bureau"]])
        }
        #expect(Set(found.keys) == [county.educationLiaison, county.marketLiaison])
        #expect(try base.text(found) == Text(
            title: "联合指导检查通知：2026年“双减”工作联合指导检查",
            body: "根据房县“双减”工作专门协调机制联合指导检查制度，协调机制定于2026年12月1日至2026年12月31日组织联合工作组开展“2026年‘双减’工作联合指导检查”，对各成员单位“双减”政策落实情况进行督查、指导、检查。检查内容：各成员单位落实“双减”职责分工、制定本单位工作方案情况。请各成员单位做好迎检准备，如实提供相关资料。"))
    }

    @Test func anAssignmentReachesTheInspectorsAndTheInspectedUnit() async throws {
        let (county, found) = try await base.texts { county in
            event(EventType.inspectionAssigned, ["inspection": [
                "id": "2A3B4C5D-6E7F-4A8B-9C0D-1E2F3A4B5C6D", "campaignId": "7A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D",
                "campaignTitle": Self.title, "groupId": "3B4C5D6E-7F8A-4B9C-8D1E-2F3A4B5C6D7E", "groupName": "第一联合工作组",
                "subjectKind": "unit", "unitId": "education-bureau", "subjectName": "县教育局", "inspectors": [],
                "inspectorIds": [county.marketLiaison.uuidString, county.scienceLiaison.uuidString], "assignment": "draw",
                "items": [], "status": "assigned", "findingIds": [], "assignedAt": "2026-12-01T02:00:00.000Z", "version": 1,
                "updatedAt": "2026-12-01T02:00:00.000Z",
            ] as [String: Any]])
        }
        #expect(Set(found.keys) == [county.marketLiaison, county.scienceLiaison, county.educationLiaison])
        #expect(try base.text(found) == Text(
            title: "联合指导检查安排：县教育局",
            body: "按照“2026年‘双减’工作联合指导检查”安排，由第一联合工作组对县教育局开展检查，检查人员：陈静、孙磊。请检查人员按照检查清单逐项检查、如实记录，请被检查单位做好配合。"))
    }

    @Test func aFindingAndItsDeadlineReachTheUnit() async throws {
        let (county, found) = try await base.texts { county in
            event(EventType.findingRaised, ["finding": finding(county, status: "open")])
        }
        #expect(Set(found.keys) == [county.educationLiaison])
        #expect(try base.text(found) == Text(
            title: "整改通知：县教育局",
            body: "在“2026年‘双减’工作联合指导检查”中，联合工作组发现县教育局存在以下问题：未建立校外培训机构日常监管台账。请于2026年12月14日前完成整改，并将整改情况报协调机制办公室。"))
    }

    @Test func reChecks() async throws {
        let (county, awaiting) = try await base.texts { county in
            event(EventType.findingAwaitingRecheck, ["finding": finding(county, status: "awaiting-recheck")])
        }
        #expect(Set(awaiting.keys) == [county.marketLiaison, county.scienceLiaison, county.office])
        #expect(try base.text(awaiting) == Text(
            title: "待复查：县教育局整改情况",
            body: "县教育局已完成“2026年‘双减’工作联合指导检查”发现问题的整改。问题：未建立校外培训机构日常监管台账。请联合工作组检查人员及时复查，并记录复查结果。"))

        let (failedCounty, failed) = try await base.texts { county in
            event(EventType.findingRecheckFailed, ["finding": finding(county, status: "open", round: 2, due: "2026-12-21")])
        }
        #expect(Set(failed.keys) == [failedCounty.educationLiaison, failedCounty.office])
        #expect(try base.text(failed) == Text(
            title: "复查未通过：县教育局整改情况",
            body: "经联合工作组复查，县教育局对“2026年‘双减’工作联合指导检查”发现问题的整改未达到要求。问题：未建立校外培训机构日常监管台账。请于2026年12月21日前完成第2轮整改，并将整改情况报协调机制办公室。"))

        let (passedCounty, passed) = try await base.texts { county in
            event(EventType.findingClosed, ["finding": finding(county, status: "closed", closed: [
                "reason": "recheck-passed", "note": "台账已建立", "by": "x", "at": "2026-12-20T02:00:00.000Z",
            ])])
        }
        #expect(Set(passed.keys) == [passedCounty.educationLiaison])
        #expect(try base.text(passed) == Text(
            title: "整改销号：县教育局",
            body: "经联合工作组复查，县教育局对“2026年‘双减’工作联合指导检查”发现问题的整改已达到要求，该问题予以销号。问题：未建立校外培训机构日常监管台账。"))

        let (_, byOffice) = try await base.texts { county in
            event(EventType.findingClosed, ["finding": finding(county, status: "closed", closed: [
                "reason": "office", "note": "该项工作已由县政府统一部署调整。", "by": "office-1", "at": "2026-12-20T02:00:00.000Z",
            ])])
        }
        #expect(try base.text(byOffice) == Text(
            title: "问题销号：县教育局",
            body: "协调机制办公室已将县教育局在“2026年‘双减’工作联合指导检查”中发现的问题予以销号。问题：未建立校外培训机构日常监管台账。说明：该项工作已由县政府统一部署调整。"))
    }

    @Test func theCirculatedReportReachesEveryMemberUnitAndTheConveners() async throws {
        let report: [String: Any] = [
            "note": "县教育局等单位能够按照职责分工推进“双减”工作，个别单位日常监管台账不健全", "results": [], "findings": [],
            "totals": ["inspections": 3, "submitted": 3, "averageScore": 88.9, "findings": 2, "closedFindings": 1,
                       "rectifiedOnTime": 1, "openFindings": 1],
            "recipientUnitIds": ["education-bureau", "market-regulation-bureau", "science-economy-bureau"],
            "circulatedBy": "office-1", "circulatedAt": "2026-12-31T02:00:00.000Z",
        ]
        let (county, found) = try await base.texts { _ in
            event(EventType.campaignReportCirculated, ["campaign": campaign(extra: ["status": "closed", "report": report])])
        }
        #expect(Set(found.keys) == [county.educationLiaison, county.marketLiaison, county.scienceLiaison, county.convener])
        #expect(try base.text(found) == Text(
            title: "通报：2026年“双减”工作联合指导检查情况",
            body: "协调机制办公室现将“2026年‘双减’工作联合指导检查”情况通报如下：共检查3个单位，发现问题2个，已整改销号1个，尚未销号1个。县教育局等单位能够按照职责分工推进“双减”工作，个别单位日常监管台账不健全。请各成员单位对照检查、举一反三，抓好问题整改落实。"))
    }
}
