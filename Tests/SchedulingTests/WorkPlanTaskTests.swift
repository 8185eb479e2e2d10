import Directory
import Domain
import EventFlow
import Foundation
import Testing

@testable import Scheduling

/// Every admitted unit gets 制定本单位工作方案 (通知 四(一)), once.
@Suite(.enabled(if: SchedulingDatabase.isConfigured, "needs SJ_TEST_DATABASE_URL (scripts/test.sh)"))
struct WorkPlanTaskTests {
    @Test func anAdmittedUnitGetsItsWorkPlanTaskOnceWithTheNoticesWords() async throws {
        try await SchedulingDatabase.with { db in
            let settings = SchedulingSettings.defaults
            // The seeded units' admission is the notice's (2022); the plan is due from when this service learns it.
            let handlers = SchedulingHandlers.make(settings: settings, clock: { Fixture.china("2026-12-01 10:00") })
            let admitted = Fixture.unitAdmitted("womens-federation", "县妇联", time: Fixture.china("2022-11-02 15:42"))
            try await db.apply(admitted, with: handlers)
            // The same event again, and a later one: still one task.
            try await db.apply(admitted, with: handlers)
            try await db.apply(Fixture.unitAdmitted("womens-federation", "县妇联", time: Fixture.china("2026-12-02 10:00"), version: 2), with: handlers)

            let tasks = try await TaskStore.list(.init(unitId: "womens-federation"), db.pool)
            #expect(tasks.count == 1)
            let task = try #require(tasks.first)
            #expect(task.title == "制定本单位工作方案")
            #expect(task.detail == """
                各成员单位要充分认识“双减”工作的重要意义，切实提高政治站位，按照我县关于“双减”工作任务分工，制定本单位工作方案，\
                做好涉及本单位相关工作，落实好“双减”工作任务要求。（《房县人民政府办公室关于建立房县“双减”工作专门协调机制的通知》\
                （房政办函〔2022〕37号）四（一））
                """)
            #expect(task.origin == TaskOrigin(kind: .workPlan, reference: "womens-federation"))
            #expect(task.leadUnitId == "womens-federation")
            #expect(task.status == .assigned)
            // 20 working days from the day the service learnt of the admission (2026-12-01).
            #expect(task.dueDate == (try WorkingDayCalendar.china.addingWorkingDays(20, to: Fixture.date("2026-12-01")).value))
            #expect(task.createdBy == "scheduling.directory")
            #expect(try await db.outbox(EventType.taskAssigned).count == 1)
            #expect(try await db.pool.withConnection { try await DirectoryStore.unit("womens-federation", on: $0) }?.version == 2)
        }
    }
}
