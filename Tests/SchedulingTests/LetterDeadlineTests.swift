import Audit
import Domain
import EventFlow
import Foundation
import Postgres
import ServiceKit
import Testing

@testable import Scheduling

/// The letters' timers in PostgreSQL with a moved clock: the reminder and
/// 再次督办 each fire once, even with two workers; an overdue task gets one
/// draft 督办函.
@Suite(.serialized) struct LetterDeadlineTests {
    static func issue(_ letter: Letter, _ db: SchedulingDatabase, at time: Date) async throws -> Letter {
        try await db.pool.transaction { connection in
            var letter = letter
            try await LetterStore.insert(letter, on: connection)
            let events = try await LetterIssuing.issue(&letter, by: "office-1", at: time, settings: .standard, on: connection)
            try await LetterStore.update(letter, on: connection)
            try await Journal.record(events, by: .system("test"), at: time, on: connection)
            return letter
        }
    }

    @Test func reminderThenSecondLetterEachOnceWithTwoWorkers() async throws {
        try await SchedulingDatabase.with { db in
            let clock = TestClock(LetterTransitionTests.china("2026-09-30T02:00:00Z"))
            let first = try await Self.issue(LetterTransitionTests.draft(.supervision, units: ["education-bureau"]), db, at: clock.now())
            #expect(first.number == "房双减督〔2026〕1号")
            let workers = (0..<2).map { _ in
                LetterDeadlineWorker(pool: db.pool, settings: .standard, batchSize: 10, now: clock.function, logger: SchedulingProcess.logger)
            }
            // Nothing is due on the day of issue.
            #expect(try await workers[0].fireOnce() == 0)

            // 1 working day before 2026-10-13, at 08:30: Monday 10-12.
            clock.set(LetterTransitionTests.china("2026-10-12T00:30:00Z"))
            async let a = workers[0].fireOnce()
            async let b = workers[1].fireOnce()
            #expect(try await a + b == 1)
            #expect(try await db.count("SELECT count(*)::int FROM outbox WHERE type = \(EventType.letterReplyDueSoon)") == 1)

            // The end of 10-13 in Beijing: overdue, 再次督办 to the same unit.
            clock.set(LetterTransitionTests.china("2026-10-13T16:00:00Z"))
            async let c = workers[0].fireOnce()
            async let d = workers[1].fireOnce()
            #expect(try await c + d == 1)
            #expect(try await workers[0].fireOnce() == 0)
            let escalated = try #require(try await LetterStore.find(first.id, db.pool))
            let secondId = try #require(escalated.addressee("education-bureau")?.escalation?.letterId)
            let second = try #require(try await LetterStore.find(secondId, db.pool))
            #expect(second.number == "房双减督〔2026〕2号" && second.origin == .escalation && second.status == .issued)
            #expect(second.addressee("education-bureau")?.replyDue == (try LocalDate(parsing: "2026-10-21")))
            #expect(second.body.hasPrefix("协调机制办公室于2026年9月30日发出督办函（房双减督〔2026〕1号）"))
            #expect(try await db.count("SELECT count(*)::int FROM outbox WHERE type = \(EventType.letterEscalated)") == 1)
            #expect(try await db.count("""
                SELECT count(*)::int FROM outbox WHERE type = \(EventType.letterIssued) AND aggregateid = \(secondId.uuidString.lowercased())
                """) == 1)
            // Every act of the timers is audited.
            #expect(try await db.count("SELECT count(*)::int FROM audit_log") == (try await db.count("SELECT count(*)::int FROM outbox")))
        }
    }

    @Test func aReportInTimeStopsTheTimers() async throws {
        try await SchedulingDatabase.with { db in
            let clock = TestClock(LetterTransitionTests.china("2026-09-30T02:00:00Z"))
            let letter = try await Self.issue(LetterTransitionTests.draft(.supervision, units: ["education-bureau"]), db, at: clock.now())
            try await db.pool.transaction { connection in
                var locked = try #require(try await LetterStore.lock(letter.id, on: connection))
                try locked.report("education-bureau", LetterReport(
                    id: UUID(), text: "已办结", attachments: [], by: "l", at: LetterTransitionTests.china("2026-10-09T02:00:00Z"), onTime: true))
                try await LetterTimerStore.cancel(letterId: letter.id, unitId: "education-bureau", on: connection)
                try await LetterStore.update(locked, on: connection)
            }
            clock.set(LetterTransitionTests.china("2026-12-01T00:00:00Z"))
            let worker = LetterDeadlineWorker(pool: db.pool, settings: .standard, now: clock.function, logger: SchedulingProcess.logger)
            #expect(try await worker.fireOnce() == 0)
            #expect(try await db.count("SELECT count(*)::int FROM letters") == 1)
        }
    }

    @Test func anOverdueTaskGetsOneDraftOrAnIssuedLetterByPolicy() async throws {
        try await SchedulingDatabase.with { db in
            let time = LetterTransitionTests.china("2026-10-13T16:00:00Z")
            let task = OverdueTaskLetters.OverdueTask(
                id: "task-7", title: "制定本单位“双减”工作方案", leadUnitId: "culture-tourism-bureau", due: try LocalDate(parsing: "2026-10-13"))
            let prepared = try await db.pool.transaction { connection in
                try await OverdueTaskLetters.prepare(for: task, by: "scheduling.tasks", at: time, settings: .standard, on: connection)
            }
            let letter = try #require(prepared?.letter)
            #expect(letter.status == .draft && letter.cause == LetterCause(kind: .task, reference: "task-7", text: "“制定本单位“双减”工作方案”逾期未完成"))
            #expect(letter.body == "协调机制交办你单位牵头落实的“制定本单位“双减”工作方案”，完成时限为2026年10月13日，截至目前尚未完成。请你单位高度重视，抓紧推进落实，并按规定期限将相关办理情况报协调机制办公室。")
            let again = try await db.pool.transaction { connection in
                try await OverdueTaskLetters.prepare(for: task, by: "scheduling.tasks", at: time, settings: .standard, on: connection)
            }
            #expect(again == nil)

            var policy = LetterSettings.standard
            policy.autoIssueOverdueTaskLetters = true
            let other = OverdueTaskLetters.OverdueTask(id: "task-8", title: "规范校外培训收费", leadUnitId: "market-regulation-bureau", due: task.due)
            let issued = try await db.pool.transaction { connection in
                try await OverdueTaskLetters.prepare(for: other, by: "scheduling.tasks", at: time, settings: policy, on: connection)
            }
            #expect(issued?.letter.status == .issued && issued?.letter.number == "房双减督〔2026〕1号")
            #expect(issued?.events.map(\.type) == [EventType.letterDrafted, EventType.letterIssued])
        }
    }

    /// The tasks' overdue mark drafts the 督办函 (TaskTimerWorker with the
    /// letters' settings), once, and the statistics count the task.
    @Test func theOverdueMarkOfATaskDraftsItsLetterOnce() async throws {
        try await SchedulingDatabase.with { db in
            try await db.addUnits([("finance-bureau", "县财政局")])
            let clock = TestClock(Fixture.china("2026-12-01 10:00"))
            let task = try await db.pool.transaction { connection in
                try await Tasks.create(
                    Fixture.draft(), by: AuditActor(subject: "office-1", role: "office"), at: clock.now(),
                    deadlines: Fixture.deadlines, on: connection
                ).task
            }
            let worker = TaskTimerWorker(pool: db.pool, now: clock.function, logger: SchedulingDatabase.logger, letters: .standard)
            clock.set(Fixture.china("2026-12-09 09:00"))
            _ = try await worker.fireDue()
            #expect(try await worker.fireDue() == .init())
            let drafts = try await db.outbox(EventType.letterDrafted)
            #expect(drafts.count == 1)
            let letter = try #require(drafts.first?["letter"] as? [String: Any])
            #expect((letter["cause"] as? [String: Any])?["reference"] as? String == task.id.uuidString.lowercased())
            #expect(letter["origin"] as? String == "task-overdue" && letter["status"] as? String == "draft")
            #expect((letter["addressees"] as? [[String: Any]])?.first?["unitId"] as? String == "finance-bureau")
            #expect(letter["subject"] as? String == "“\(task.title)”逾期未完成")

            let facts = try await StatisticsStore.tasks(before: clock.now(), db.pool)
            let row = UnitStatistics.compute(
                unitId: "finance-bureau", from: Fixture.date("2026-12-01"), to: Fixture.date("2026-12-31"), letters: [],
                tasks: facts, at: clock.now())
            #expect(row.tasks == TaskFigures(assigned: 1, doneOnTime: 0, overdue: 1, averageDaysToComplete: nil))
        }
    }
}
