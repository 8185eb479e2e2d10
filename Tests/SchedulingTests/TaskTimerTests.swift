import Audit
import Domain
import EventFlow
import Foundation
import Postgres
import Testing

@testable import Scheduling

/// The reminders and overdue marks, against a real PostgreSQL: they fire at
/// their moment of the injected clock, once, whoever races for them.
@Suite(.enabled(if: SchedulingDatabase.isConfigured, "needs SJ_TEST_DATABASE_URL (scripts/test.sh)"))
struct TaskTimerTests {
    static let office = AuditActor(subject: "office-1", role: "office")

    func createTask(_ db: SchedulingDatabase, at time: Date, _ draft: TaskDraft = Fixture.draft()) async throws -> WorkTask {
        try await db.pool.transaction { connection in
            try await Tasks.create(draft, by: Self.office, at: time, deadlines: Fixture.deadlines, on: connection).task
        }
    }

    @Test func remindersAndTheOverdueMarkFireAtTheirMomentsAndOnce() async throws {
        try await SchedulingDatabase.with { db in
            try await db.addUnits([("finance-bureau", "县财政局"), ("education-bureau", "县教育局")])
            let clock = TestClock(Fixture.china("2026-12-01 10:00"))
            let task = try await createTask(db, at: clock.now(), Fixture.draft(assisting: ["education-bureau"]))
            #expect(task.dueDate == Fixture.date("2026-12-08"))
            #expect(try await db.outbox(EventType.taskAssigned).count == 1)
            let worker = TaskTimerWorker(pool: db.pool, now: clock.function, logger: SchedulingDatabase.logger)

            // Just before the three-day reminder: nothing.
            clock.set(Fixture.china("2026-12-03 08:29"))
            #expect(try await worker.fireDue() == .init())
            clock.set(Fixture.china("2026-12-03 08:30"))
            #expect(try await worker.fireDue() == .init(claimed: 1, events: 1))
            #expect(try await worker.fireDue() == .init())
            let dueSoon = try await db.outbox(EventType.taskDueSoon)
            #expect(dueSoon.count == 1)
            #expect(dueSoon.first?["workingDaysLeft"] as? Int == 3)
            #expect((dueSoon.first?["task"] as? [String: Any])?["remindersSent"] as? [Int] == [3])

            // The clock jumps past the due day: the one-day reminder and the overdue mark, in order.
            clock.set(Fixture.china("2026-12-09 09:00"))
            #expect(try await worker.fireDue() == .init(claimed: 2, events: 2))
            #expect(try await db.outbox(EventType.taskDueSoon).count == 2)
            let overdue = try await db.outbox(EventType.taskOverdue)
            #expect(overdue.count == 1)
            let overdueTask = try #require(overdue.first?["task"] as? [String: Any])
            #expect(overdueTask["overdueAt"] as? String == RFC3339.format(Fixture.china("2026-12-08 17:30")))
            #expect(overdueTask["version"] as? Int == 4)
            #expect(try await db.count("SELECT count(*)::int FROM tasks WHERE overdue") == 1)
            // Each act is in the audit trail, by the timer.
            #expect(try await db.count("""
                SELECT count(*)::int FROM audit_log WHERE actor_subject = 'scheduling.task-timers'
                """) == 3)
            #expect(try await worker.fireDue() == .init())
        }
    }

    @Test func aTaskReportedDoneBeforeTheDayEndsIsNotOverdue() async throws {
        try await SchedulingDatabase.with { db in
            try await db.addUnits([("finance-bureau", "县财政局")])
            let clock = TestClock(Fixture.china("2026-12-01 10:00"))
            let created = try await createTask(db, at: clock.now())
            try await db.pool.transaction { connection in
                var task = try await TaskStore.lock(created.id, on: connection)!
                try task.submitCompletion(at: Fixture.china("2026-12-02 10:00"))
                task.version += 1
                try await TaskStore.update(task, on: connection)
            }
            clock.set(Fixture.china("2026-12-10 09:00"))
            let worker = TaskTimerWorker(pool: db.pool, now: clock.function, logger: SchedulingDatabase.logger)
            #expect(try await worker.fireDue() == .init(claimed: 3, events: 0))
            #expect(try await db.outbox(EventType.taskOverdue).isEmpty)
        }
    }

    @Test func twoWorkersOnTwoPoolsFireEveryTimerExactlyOnce() async throws {
        try await SchedulingDatabase.with(poolSize: 4) { db in
            try await db.addUnits([("finance-bureau", "县财政局"), ("education-bureau", "县教育局")])
            let start = Fixture.china("2026-12-01 10:00")
            let count = 300
            try await db.pool.transaction { connection in
                for index in 0..<count {
                    let draft = Fixture.draft(
                        "任务\(index)", lead: index.isMultiple(of: 2) ? "finance-bureau" : "education-bureau",
                        due: .workingDays(4 + index % 10))
                    _ = try await Tasks.create(draft, by: Self.office, at: start, deadlines: Fixture.deadlines, on: connection)
                }
            }
            let timers = try await db.count("SELECT count(*)::int FROM task_timers")
            #expect(timers == count * 3)
            // Two "processes": two pools of their own, racing with small batches.
            let clock = TestClock(Fixture.china("2026-12-31 18:00"))
            let other = db.otherPool()
            let first = TaskTimerWorker(pool: db.pool, batchSize: 7, now: clock.function, logger: SchedulingDatabase.logger)
            let second = TaskTimerWorker(pool: other, batchSize: 7, now: clock.function, logger: SchedulingDatabase.logger)
            async let a = drain(first)
            async let b = drain(second)
            let (firstFired, secondFired) = try await (a, b)
            await other.close()
            #expect(firstFired + secondFired == timers)
            #expect(firstFired > 0 && secondFired > 0, "both workers took part")
            #expect(try await db.count("SELECT count(*)::int FROM task_timers WHERE fired_at IS NULL") == 0)
            // Exactly once: one event per timer, and one per task and kind.
            #expect(try await db.outbox(EventType.taskOverdue).count == count)
            #expect(try await db.outbox(EventType.taskDueSoon).count == count * 2)
            #expect(try await db.count("""
                SELECT count(*)::int FROM (SELECT aggregateid, payload->'workingDaysLeft' FROM outbox
                WHERE type = \(EventType.taskDueSoon) GROUP BY 1, 2 HAVING count(*) > 1) AS duplicates
                """) == 0)
        }
    }

    /// Fires until nothing is due; the timers this worker claimed.
    private func drain(_ worker: TaskTimerWorker) async throws -> Int {
        var total = 0
        while true {
            let batch = try await worker.fireDue()
            if batch.claimed == 0 { return total }
            total += batch.claimed
        }
    }

    @Test func aReturnedTaskGetsNewTimersForItsNewDueDate() async throws {
        try await SchedulingDatabase.with { db in
            try await db.addUnits([("finance-bureau", "县财政局")])
            let clock = TestClock(Fixture.china("2026-12-01 10:00"))
            let created = try await createTask(db, at: clock.now())
            let worker = TaskTimerWorker(pool: db.pool, now: clock.function, logger: SchedulingDatabase.logger)
            clock.set(Fixture.china("2026-12-09 09:00"))
            #expect(try await worker.fireDue().events == 3)
            // Late, reported, returned with a new due date: overdue again only if that one passes.
            try await db.pool.transaction { connection in
                var task = try await TaskStore.lock(created.id, on: connection)!
                try task.submitCompletion(at: clock.now())
                try task.returnForRework(reason: "缺少经费测算表", dueDate: Fixture.date("2026-12-15"), by: "office-1", at: clock.now())
                task.version += 1
                try await TaskStore.update(task, on: connection)
                try await TaskTimerStore.replace(
                    taskId: task.id, due: task.dueDate,
                    with: try Fixture.deadlines.timers(due: task.dueDate, now: clock.now(), sent: task.remindersSent),
                    on: connection)
            }
            clock.set(Fixture.china("2026-12-16 09:00"))
            #expect(try await worker.fireDue().events == 3)
            let overdue = try await db.outbox(EventType.taskOverdue)
            #expect(overdue.count == 2)
            #expect((overdue.last?["task"] as? [String: Any])?["dueDate"] as? String == "2026-12-15")
        }
    }
}
