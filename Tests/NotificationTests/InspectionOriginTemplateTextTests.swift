import Domain
import EventFlow
import Foundation
import Testing

@testable import Notification

/// The texts of what the scheduling service makes of the inspection
/// service's events (Rules/routing.json): a task from a finding's
/// rectification reads as 整改, one from a warning's handling step as 处置,
/// and a 专题研判 request reads as such when it is decided (its submission is
/// announced by the inspection service's own event, so it notifies nobody
/// here). Rendered for realistic events and compared whole, with who receives them.
@Suite(.enabled(if: NotificationDatabase.isConfigured, "needs SJ_TEST_DATABASE_URL (scripts/test.sh)"))
struct InspectionOriginTemplateTextTests {
    let base = TemplateTextTests()
    typealias Text = TemplateTextTests.Text
    static let source = "/shuangjian/scheduling"

    func taskAssigned(_ task: [String: Any]) -> CloudEvent {
        Fixture.event(EventType.taskAssigned, ["task": task], time: base.now, source: Self.source)
    }

    @Test func aRectificationTaskReadsAsRectification() async throws {
        var task = TaskTemplateTextTests.task(lead: "education-bureau", assisting: ["finance-bureau"], due: "2026-12-14")
        task["title"] = "整改：课后服务经费保障机制"
        task["origin"] = ["kind": "inspection-finding", "reference": "5f1d2c3b-0000-4000-8000-000000000001/1"]
        let (county, found) = try await base.texts { _ in taskAssigned(task) }
        // 县财政局 has no liaison: the info notification reaches 县教育局's liaison.
        #expect(Set(found.keys) == [county.educationLiaison])
        #expect(try base.text(found) == Text(
            title: "工作任务交办：整改：课后服务经费保障机制",
            body: "联合指导检查发现的问题需要整改，协调机制办公室交办整改任务“整改：课后服务经费保障机制”，牵头单位：县教育局；配合单位：县财政局；整改时限：2026年12月14日。请牵头单位及时接收，按时限整改到位，并将整改情况报协调机制办公室。"))
    }

    @Test func aHandlingStepTaskReadsAsHandling() async throws {
        var task = TaskTemplateTextTests.task(lead: "market-regulation-bureau", assisting: [], due: "2026-12-02")
        task["title"] = "房县启航培训学校红色预警处置：按照职责分工配合做好应急处置工作"
        task["origin"] = ["kind": "warning-handling", "reference": "5f1d2c3b-0000-4000-8000-000000000002/3"]
        let (county, found) = try await base.texts { _ in taskAssigned(task) }
        #expect(Set(found.keys) == [county.marketLiaison])
        #expect(try base.text(found) == Text(
            title: "工作任务交办：房县启航培训学校红色预警处置：按照职责分工配合做好应急处置工作",
            body: "按照专题研判制度，协调机制办公室交办预警处置任务“房县启航培训学校红色预警处置：按照职责分工配合做好应急处置工作”，承办单位：县市场监管局；处置时限：2026年12月2日。请及时接收，按时限处置，并将处置情况报协调机制办公室。"))
    }

    func specialStudy(status: String, decided: [String: Any]?, sitting: Bool) -> CloudEvent {
        var request: [String: Any] = [
            "id": UUID().uuidString, "kind": "liaison", "title": "关于房县启航培训学校红色预警的专题研判",
            "reason": "房县启航培训学校红色预警，按照专题研判制度，提请召集人于2026年12月3日前组织相关成员单位召开专题研判会议。",
            "agenda": ["关于房县启航培训学校红色预警的专题研判"], "unitIds": ["education-bureau", "market-regulation-bureau"],
            "specialStudy": [
                "source": "/shuangjian/inspection", "requestId": UUID().uuidString, "warningId": UUID().uuidString, "level": "red",
                "subjectName": "房县启航培训学校", "holdBy": "2026-12-03", "provisional": false, "reason": "score 8.5 reached the red threshold 8",
            ] as [String: Any],
            "status": status, "requested": ["by": "inspection", "at": "2026-12-01T02:00:00Z"], "version": 1,
            "updatedAt": "2026-12-01T02:00:00Z",
        ]
        if sitting {
            request["proposedStartsAt"] = "2026-12-03T07:00:00Z"
            request["proposedEndsAt"] = "2026-12-03T08:30:00Z"
            request["place"] = "县政府二楼会议室"
        }
        if let decided { request["decided"] = decided }
        let type = decided == nil ? EventType.adHocRequested : EventType.adHocDecided
        return Fixture.event(type, ["request": request, "kindTitle": "联络员例会"], time: base.now, source: Self.source)
    }

    @Test func aSpecialStudyRequestIsAnnouncedOnceByTheInspectionService() async throws {
        let (_, found) = try await base.texts { _ in specialStudy(status: "pending", decided: nil, sitting: false) }
        #expect(found.isEmpty)
    }

    @Test func aSpecialStudyRequestApprovedOrRefused() async throws {
        let (county, approved) = try await base.texts { _ in
            specialStudy(status: "approved", decided: ["approved": true, "by": "convener", "at": "2026-12-01T03:00:00Z"], sitting: true)
        }
        #expect(Set(approved.keys) == [county.convener, county.office, county.educationLiaison, county.marketLiaison])
        #expect(try base.text(approved) == Text(
            title: "召集人同意召开专题研判会议",
            body: "召集人已于2026年12月1日 11:00同意召开“关于房县启航培训学校红色预警的专题研判”会议，会议定于2026年12月3日 15:00在县政府二楼会议室召开，请县教育局、县市场监管局参加。"))
        let (other, refused) = try await base.texts { _ in
            specialStudy(status: "refused", decided: [
                "approved": false, "by": "convener", "at": "2026-12-01T03:00:00Z", "reason": "已在全体会议上研究部署。",
            ], sitting: false)
        }
        #expect(Set(refused.keys) == [other.convener, other.office])
        #expect(try base.text(refused) == Text(
            title: "召集人未同意召开专题研判会议",
            body: "按照专题研判制度提请召开的“关于房县启航培训学校红色预警的专题研判”会议，召集人未予同意，理由：已在全体会议上研究部署。"))
    }
}
