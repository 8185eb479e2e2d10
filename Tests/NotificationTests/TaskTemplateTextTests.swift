import Domain
import EventFlow
import Foundation
import Testing

@testable import Notification

/// The texts of the scheduling service's task events (Rules/routing.json),
/// rendered for a realistic task and compared whole, with who receives them.
/// The county is `TemplateTextTests.County`: 县财政局 has a member and no
/// liaison, 县市场监管局 a member and a liaison, 县教育局 a liaison.
@Suite(.enabled(if: NotificationDatabase.isConfigured, "needs SJ_TEST_DATABASE_URL (scripts/test.sh)"))
struct TaskTemplateTextTests {
    let now = Fixture.china("2026-12-01 10:00")
    typealias Text = TemplateTextTests.Text

    /// A task as the scheduling service publishes it (docs/asyncapi.yaml, `Task`).
    static func task(
        lead: String = "market-regulation-bureau", assisting: [String] = ["education-bureau"], due: String = "2026-12-08",
        status: String = "assigned", overdueAt: String? = nil, returns: [[String: Any]] = []
    ) -> [String: Any] {
        var task: [String: Any] = [
            "id": "7d0c1c9e-3a0f-4c55-9a51-6f0f7b1f1a01", "title": "开展校外培训机构预收费专项检查",
            "detail": "对全县校外培训机构预收费情况开展专项检查。",
            "origin": ["kind": "decision", "reference": "2026-2-1"], "leadUnitId": lead, "assistingUnitIds": assisting,
            "dueDate": due, "status": status, "remindersSent": [Int](), "returns": returns, "createdBy": "office-1",
            "createdAt": "2026-12-01T02:00:00.000Z", "version": 1, "updatedAt": "2026-12-01T02:00:00.000Z",
        ]
        if let overdueAt { task["overdueAt"] = overdueAt }
        return task
    }

    func texts(_ type: String, _ data: [String: Any]) async throws -> (TemplateTextTests.County, [UUID: Text]) {
        let templates = TemplateTextTests()
        return try await templates.texts { _ in Fixture.event(type, data, time: now) }
    }

    func text(_ found: [UUID: Text]) throws -> Text { try TemplateTextTests().text(found) }

    @Test func aTaskAssigned() async throws {
        let (county, found) = try await texts(EventType.taskAssigned, ["task": Self.task()])
        #expect(Set(found.keys) == [county.marketLiaison, county.educationLiaison])
        #expect(try text(found) == Text(
            title: "工作任务交办：开展校外培训机构预收费专项检查",
            body: "协调机制办公室交办工作任务“开展校外培训机构预收费专项检查”，牵头单位：县市场监管局；配合单位：县教育局；完成时限：2026年12月8日。请牵头单位及时接收，按时限办理，并将完成情况报协调机制办公室。"))
    }

    @Test func aWorkPlanTaskHasNoAssistingUnits() async throws {
        var task = Self.task(lead: "education-bureau", assisting: [], due: "2026-12-29")
        task["title"] = "制定本单位工作方案"
        let (county, found) = try await texts(EventType.taskAssigned, ["task": task])
        #expect(Set(found.keys) == [county.educationLiaison])
        #expect(try text(found) == Text(
            title: "工作任务交办：制定本单位工作方案",
            body: "协调机制办公室交办工作任务“制定本单位工作方案”，牵头单位：县教育局；配合单位：无；完成时限：2026年12月29日。请牵头单位及时接收，按时限办理，并将完成情况报协调机制办公室。"))
    }

    @Test func aTaskDueSoon() async throws {
        let (county, found) = try await texts(EventType.taskDueSoon, ["task": Self.task(status: "accepted"), "workingDaysLeft": 3])
        #expect(Set(found.keys) == [county.marketLiaison])
        #expect(try text(found) == Text(
            title: "工作任务即将到期：开展校外培训机构预收费专项检查",
            body: "县市场监管局牵头办理的工作任务“开展校外培训机构预收费专项检查”完成时限为2026年12月8日，距到期还有3个工作日。请抓紧办理，并按时将完成情况报协调机制办公室。"))
    }

    @Test func aTaskOverdue() async throws {
        let (county, found) = try await texts(
            EventType.taskOverdue, ["task": Self.task(status: "accepted", overdueAt: "2026-12-08T09:30:00.000Z")])
        #expect(Set(found.keys) == [county.marketLiaison, county.marketMember, county.office])
        #expect(try text(found) == Text(
            title: "工作任务逾期未完成：开展校外培训机构预收费专项检查",
            body: "县市场监管局牵头办理的工作任务“开展校外培训机构预收费专项检查”完成时限为2026年12月8日，截至2026年12月8日 17:30未报送完成情况，已逾期。请县市场监管局抓紧办理，并将办理情况报协调机制办公室。"))
    }

    @Test func aTaskReturnedGivesTheReasonOnceAndTheNewDueDate() async throws {
        let returns: [[String: Any]] = [[
            "reason": "检查范围未覆盖全部机构。", "previousDueDate": "2026-12-08", "dueDate": "2026-12-15",
            "returnedBy": "office-1", "returnedAt": "2026-12-09T02:00:00.000Z",
        ]]
        let (county, found) = try await texts(EventType.taskReturned, [
            "task": Self.task(due: "2026-12-15", status: "returned", returns: returns), "reason": "检查范围未覆盖全部机构。",
        ])
        #expect(Set(found.keys) == [county.marketLiaison])
        #expect(try text(found) == Text(
            title: "工作任务退回：开展校外培训机构预收费专项检查",
            body: "协调机制办公室退回县市场监管局报送的工作任务“开展校外培训机构预收费专项检查”完成情况，理由：检查范围未覆盖全部机构。请于2026年12月15日前办理完毕，并将完成情况重新报协调机制办公室。"))
    }
}
