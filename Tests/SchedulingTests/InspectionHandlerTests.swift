import Directory
import Domain
import EventFlow
import Foundation
import Testing

@testable import Scheduling

/// The inspection service's events on the scheduling service's database:
/// handling steps and rectification rounds become tasks once each, a
/// 专题研判 request an ad hoc meeting request once, a closed finding is
/// noted and changes no task, and what cannot be applied is refused naming
/// the field, with nothing written.
@Suite(.enabled(if: SchedulingDatabase.isConfigured, "needs SJ_TEST_DATABASE_URL (scripts/test.sh)"))
struct InspectionHandlerTests {
    static let now = Fixture.china("2026-12-01 10:00")
    static let units = [("education-bureau", "县教育局"), ("market-regulation-bureau", "县市场监管局")]

    static func handlers() -> EventHandlers {
        SchedulingHandlers.make(settings: SchedulingSettings.defaults, clock: { now })
    }

    static func tasks(_ db: SchedulingDatabase, _ kind: TaskOriginKind) async throws -> [WorkTask] {
        try await TaskStore.list(.init(originKind: kind), db.pool).sorted { ($0.origin.reference ?? "") < ($1.origin.reference ?? "") }
    }

    @Test func eachHandlingStepBecomesItsUnitsTaskOnce() async throws {
        try await SchedulingDatabase.with { db in
            try await db.addUnits(Self.units)
            let handlers = Self.handlers()
            let warningId = UUID()
            let prefix = warningId.uuidString.lowercased()
            let yellow = InspectionFixture.Step(
                n: 1, level: "yellow", title: "核查处置，并将处置情况报协调机制办公室", unitId: "education-bureau",
                unitName: "县教育局", role: "lead", dueDate: "2026-12-04", workingDays: 3)
            let raised = InspectionFixture.warningEvent(EventType.warningRaised, id: warningId, level: "yellow", steps: [yellow], at: Self.now)
            try await db.apply(raised, with: handlers)
            try await db.apply(raised, with: handlers)
            #expect(try await Self.tasks(db, .warningHandling).count == 1)

            // Escalated to red: the yellow step again (no new task) and three red steps.
            let red = InspectionFixture.redSteps.map { step in
                var step = step
                step.n += 1
                return step
            }
            let escalated = InspectionFixture.warningEvent(
                EventType.warningEscalated, id: warningId, level: "red", steps: [yellow] + red, at: Self.now)
            try await db.apply(escalated, with: handlers)
            // The office's confirmation changes no step.
            try await db.apply(InspectionFixture.warningEvent(
                EventType.warningConfirmed, id: warningId, level: "red", steps: [yellow] + red, at: Self.now), with: handlers)

            let tasks = try await Self.tasks(db, .warningHandling)
            #expect(tasks.map(\.origin.reference) == (1...4).map { "\(prefix)/\($0)" })
            #expect(tasks.map(\.leadUnitId) == ["education-bureau", "education-bureau", "education-bureau", "market-regulation-bureau"])
            #expect(tasks.map(\.dueDate) == [Fixture.date("2026-12-04")] + Array(repeating: Fixture.date("2026-12-02"), count: 3))
            #expect(tasks.allSatisfy { $0.createdBy == "scheduling.inspection" && $0.status == .assigned && $0.assistingUnitIds.isEmpty })
            #expect(tasks[0].title == "房县启航培训学校黄色预警处置：核查处置，并将处置情况报协调机制办公室")
            #expect(tasks[1].title == "房县启航培训学校红色预警处置：立即处置，并将处置情况报协调机制办公室")
            #expect(tasks[3].title == "房县启航培训学校红色预警处置：按照职责分工配合做好应急处置工作")
            #expect(tasks[1].detail == "按照专题研判制度，对房县启航培训学校红色预警及时处置（牵头处置，1个工作日内完成）。")
            #expect(tasks[3].detail == "按照专题研判制度，对房县启航培训学校红色预警及时处置（配合处置，1个工作日内完成）。")
            #expect(try await db.outbox(EventType.taskAssigned).count == 4)
            let assigned = try await db.outbox(EventType.taskAssigned).compactMap { ($0["task"] as? [String: Any])?["origin"] as? [String: Any] }
            #expect(assigned.allSatisfy { $0["kind"] as? String == "warning-handling" })
        }
    }

    @Test func aSpecialStudyRequestBecomesAnAdHocRequestOnce() async throws {
        try await SchedulingDatabase.with { db in
            try await db.addUnits(Self.units)
            let handlers = Self.handlers()
            let (requestId, warningId) = (UUID(), UUID())
            let requested = InspectionFixture.specialStudy(
                requestId: requestId, warningId: warningId, holdBy: "2026-12-03", at: Self.now.addingTimeInterval(-60))
            try await db.apply(requested, with: handlers)
            try await db.apply(requested, with: handlers)

            let request = try #require(try await AdHocRequestStore.find(requestId, db.pool))
            #expect(request.status == .pending && request.kind == .liaison)
            #expect(request.title == "关于房县启航培训学校红色预警的专题研判")
            #expect(request.reason == "房县启航培训学校红色预警，按照专题研判制度，提请召集人于2026年12月3日前组织相关成员单位召开专题研判会议。")
            #expect(request.unitIds == ["education-bureau", "market-regulation-bureau"])
            #expect(request.agenda == ["关于房县启航培训学校红色预警的专题研判"])
            #expect(request.proposedStartsAt == nil && request.place == nil)
            #expect(request.requested == Meeting.Step(by: "inspection", at: Self.now.addingTimeInterval(-60)))
            #expect(request.specialStudy == SpecialStudyOrigin(
                source: "/shuangjian/inspection", requestId: requestId, warningId: warningId, level: .red,
                subjectName: "房县启航培训学校", holdBy: Fixture.date("2026-12-03"), provisional: false,
                reason: "score 8.5 reached the red threshold 8 (3 signals in 30 days)"))
            #expect(try await db.outbox(EventType.adHocRequested).count == 1)
            #expect(try await db.count("SELECT count(*)::int FROM audit_log WHERE actor_subject = 'scheduling.inspection'") == 1)
        }
    }

    @Test func aFindingsRectificationRoundsBecomeTasksAndItsClosingChangesNone() async throws {
        try await SchedulingDatabase.with { db in
            try await db.addUnits(Self.units + [("finance-bureau", "县财政局")])
            let handlers = Self.handlers()
            let findingId = UUID()
            let id = findingId.uuidString.lowercased()
            // Raised without a rectification (none required yet): no task, noted.
            try await db.apply(InspectionFixture.findingEvent(EventType.findingRaised, InspectionFixture.finding(
                id: findingId, status: "open", round: nil, version: 1, at: Self.now), at: Self.now), with: handlers)
            #expect(try await Self.tasks(db, .inspectionFinding).isEmpty)

            let raised = InspectionFixture.findingEvent(EventType.findingRaised, InspectionFixture.finding(
                id: findingId, status: "rectifying", round: 1, version: 2, at: Self.now, assisting: ["finance-bureau"]), at: Self.now)
            try await db.apply(raised, with: handlers)
            try await db.apply(raised, with: handlers)
            var tasks = try await Self.tasks(db, .inspectionFinding)
            #expect(tasks.count == 1)
            let first = try #require(tasks.first)
            #expect(first.origin.reference == "\(id)/1")
            #expect(first.title == "整改：课后服务经费保障机制")
            #expect(first.leadUnitId == "education-bureau" && first.assistingUnitIds == ["finance-bureau"])
            #expect(first.dueDate == Fixture.date("2026-12-14"))
            #expect(first.detail == """
                联合指导检查：2026年秋季学期“双减”工作联合指导检查
                检查项目：课后服务经费保障机制（通知三（一））
                检查结果：部分落实
                问题描述：部分学校课后服务经费未按时拨付。
                整改轮次：第1轮，10个工作日内整改到位
                """)

            // The re-check failed: a second round, a second task; the first is untouched.
            try await db.apply(InspectionFixture.findingEvent(EventType.findingRecheckFailed, InspectionFixture.finding(
                id: findingId, status: "rectifying", round: 2, dueDate: "2026-12-28", version: 4, at: Self.now), at: Self.now),
                with: handlers)
            tasks = try await Self.tasks(db, .inspectionFinding)
            #expect(tasks.map(\.origin.reference) == ["\(id)/1", "\(id)/2"])
            #expect(tasks[0] == first)
            #expect(tasks[1].dueDate == Fixture.date("2026-12-28"))

            // An older event coming late is recognised and changes nothing.
            try await db.apply(raised, with: handlers)
            try await db.apply(InspectionFixture.findingEvent(EventType.findingRaised, InspectionFixture.finding(
                id: findingId, status: "rectifying", round: 3, version: 3, at: Self.now), at: Self.now), with: handlers)
            #expect(try await Self.tasks(db, .inspectionFinding).count == 2)

            // Closed: noted; no task changes, nothing is published.
            let before = try await db.count("SELECT count(*)::int FROM outbox")
            try await db.apply(InspectionFixture.findingEvent(EventType.findingClosed, InspectionFixture.finding(
                id: findingId, status: "closed", round: 2, dueDate: "2026-12-28", version: 5, at: Self.now), at: Self.now),
                with: handlers)
            #expect(try await Self.tasks(db, .inspectionFinding) == tasks)
            #expect(try await db.count("SELECT count(*)::int FROM outbox") == before)
            let noted = try await db.pool.withConnection { try await InspectionFindingStore.find(findingId, on: $0) }
            #expect(noted == .init(status: "closed", rectificationId: "\(id)/2", version: 5, closedAt: Self.now))
        }
    }

    @Test func aDeadlinePassedBeforeTheEventArrivedStandsAndTheTaskIsOverdue() async throws {
        try await SchedulingDatabase.with { db in
            try await db.addUnits(Self.units)
            try await db.apply(InspectionFixture.findingEvent(EventType.findingRaised, InspectionFixture.finding(
                id: UUID(), status: "rectifying", round: 1, dueDate: "2026-11-27", version: 1, at: Self.now), at: Self.now),
                with: Self.handlers())
            let task = try #require(try await Self.tasks(db, .inspectionFinding).first)
            #expect(task.dueDate == Fixture.date("2026-11-27"))
            // The overdue mark is due already (the end of 2026-11-27's office hours): the timer worker fires it next.
            #expect(try await db.count("""
                SELECT count(*)::int FROM task_timers WHERE task_id = \(task.id) AND kind = 'overdue' AND fire_at < \(Self.now)
                """) == 1)
        }
    }

    @Test func whatCannotBeAppliedIsRefusedNamingTheFieldWithNothingWritten() async throws {
        try await SchedulingDatabase.with { db in
            try await db.addUnits(Self.units)
            let handlers = Self.handlers()
            let warningId = UUID()
            func refusal(_ event: CloudEvent) async -> String {
                do {
                    try await db.apply(event, with: handlers)
                    return "applied"
                } catch {
                    return "\(error)"
                }
            }
            // A unit this service does not know.
            var steps = InspectionFixture.redSteps
            steps[2].unitId = "no-such-unit"
            let unknown = await refusal(InspectionFixture.warningEvent(EventType.warningRaised, id: warningId, level: "red", steps: steps, at: Self.now))
            #expect(unknown.contains("warning.handlingSteps[2].unitId: no member unit no-such-unit"), "\(unknown)")

            // A step id that is not of its warning.
            var foreign = InspectionFixture.warningEvent(EventType.warningRaised, id: UUID(), level: "red", steps: [], at: Self.now)
            var data = try JSONSerialization.jsonObject(with: Data(foreign.data)) as! [String: Any]
            var warning = data["warning"] as! [String: Any]
            warning["handlingSteps"] = InspectionFixture.warning(id: warningId, level: "red", steps: InspectionFixture.redSteps, at: Self.now)["handlingSteps"]
            data["warning"] = warning
            foreign = InspectionFixture.event(EventType.warningRaised, data)
            #expect(await refusal(foreign).contains("warning.handlingSteps[0].id: must be"))

            // A missing field, named by its path.
            var stepless = InspectionFixture.warning(id: warningId, level: "red", steps: InspectionFixture.redSteps, at: Self.now)
            var list = stepless["handlingSteps"] as! [[String: Any]]
            list[1]["dueDate"] = nil
            stepless["handlingSteps"] = list
            let missing = await refusal(InspectionFixture.event(EventType.warningRaised, ["warning": stepless]))
            #expect(missing.contains("warning.handlingSteps[1].dueDate: missing"), "\(missing)")

            // A finding whose rectification id is not of the finding; a request with no units.
            var finding = InspectionFixture.finding(id: UUID(), status: "rectifying", round: 1, version: 1, at: Self.now)
            var rectification = finding["rectification"] as! [String: Any]
            rectification["id"] = "\(UUID().uuidString.lowercased())/1"
            finding["rectification"] = rectification
            #expect(await refusal(InspectionFixture.findingEvent(EventType.findingRaised, finding, at: Self.now))
                .contains("finding.rectification.id: must be"))
            var study = try JSONSerialization.jsonObject(with: Data(InspectionFixture.specialStudy(
                requestId: UUID(), warningId: warningId, holdBy: "2026-12-03", at: Self.now).data)) as! [String: Any]
            var request = study["request"] as! [String: Any]
            request["unitIds"] = [String]()
            study["request"] = request
            #expect(await refusal(InspectionFixture.event(EventType.specialStudyRequested, study)).contains("request.unitIds"))

            #expect(try await db.count("SELECT count(*)::int FROM tasks") == 0)
            #expect(try await db.count("SELECT count(*)::int FROM ad_hoc_requests") == 0)
            #expect(try await db.count("SELECT count(*)::int FROM outbox") == 0)
        }
    }
}
