import Audit
import Domain
import EventFlow
import Foundation
import Postgres
import Testing

@testable import Scheduling

/// Issue 11's timer benchmark, run by `make bench` (scripts/bench-scheduling.sh,
/// `SJ_SCHEDULING_BENCH=1`; skipped otherwise): 100,000 open tasks with due
/// dates spread over a month; the injected clock moves across the month in
/// steps and two workers on two pools (two processes' worth of connections)
/// fire every reminder and overdue mark, each exactly once, with their events
/// and audit entries committed, and each overdue mark its task's 督办函 draft
/// (as the service wires the worker). Prints the rate; the target is ≥ 5,000 timers/s.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["SJ_SCHEDULING_BENCH"] != nil, "make bench only"))
struct TaskTimerBenchmark {
    static var taskCount: Int { Int(ProcessInfo.processInfo.environment["SJ_SCHEDULING_BENCH_TASKS"] ?? "") ?? 100_000 }
    static var withLetters: Bool { ProcessInfo.processInfo.environment["SJ_SCHEDULING_BENCH_WITHOUT_LETTERS"] == nil }

    @Test func aMonthOfTimersFiresOnceAtTheTargetRate() async throws {
        try await SchedulingDatabase.with(poolSize: 4) { db in
            let units = (0..<26).map { ("unit-\($0)", "成员单位\($0)") }
            try await db.addUnits(units)
            let start = Fixture.china("2026-12-01 08:00")
            let deadlines = Fixture.deadlines
            // Due dates over the month's working days (December 2026 after the 3rd).
            var dueDates: [LocalDate] = []
            var day = LocalDate("2026-12-04")!
            while day <= LocalDate("2026-12-31")! {
                if try WorkingDayCalendar.china.isWorkingDay(day).value { dueDates.append(day) }
                day = day.adding(days: 1)
            }
            let count = Self.taskCount
            var expectedTimers = 0
            let seedStarted = ContinuousClock.now
            for batchStart in stride(from: 0, to: count, by: 2_000) {
                var tasks: [WorkTask] = []
                var timers: [(UUID, LocalDate, [PlannedTimer])] = []
                for index in batchStart..<min(count, batchStart + 2_000) {
                    let due = dueDates[index % dueDates.count]
                    let task = WorkTask(
                        id: UUID(), title: "任务\(index)", detail: nil, origin: TaskOrigin(kind: .office, reference: nil),
                        leadUnitId: units[index % units.count].0, assistingUnitIds: [], dueDate: due, status: .accepted,
                        overdueAt: nil, remindersSent: [], acceptedAt: start, submittedAt: nil, completedAt: nil, returns: [],
                        createdBy: "office-1", createdAt: start, version: 1, updatedAt: start)
                    tasks.append(task)
                    let planned = try deadlines.timers(due: due, now: start)
                    expectedTimers += planned.count
                    timers.append((task.id, due, planned))
                }
                try await BenchSeed.insert(tasks, timers: timers, into: db.pool)
            }
            print("scheduling bench: seeded \(count) tasks with \(expectedTimers) timers in \(ContinuousClock.now - seedStarted)")

            let clock = TestClock(start)
            let other = db.otherPool(size: 2)
            // As the service wires them: each overdue mark drafts its task's 督办函 in the same
            // transaction (SJ_SCHEDULING_BENCH_WITHOUT_LETTERS=1 leaves that out, for comparison).
            let letters: LetterSettings? = Self.withLetters ? .standard : nil
            let first = TaskTimerWorker(
                pool: db.pool, batchSize: 1_000, now: clock.function, logger: SchedulingDatabase.logger, letters: letters)
            let second = TaskTimerWorker(
                pool: other, batchSize: 1_000, now: clock.function, logger: SchedulingDatabase.logger, letters: letters)
            let started = ContinuousClock.now
            var fired = 0
            // Across the month, a working day at a time: the opening (reminders) and the close (overdue).
            var moment = start
            while moment < Fixture.china("2027-01-01 00:00") {
                moment = moment.addingTimeInterval(12 * 3600)
                clock.set(moment)
                async let a = drain(first)
                async let b = drain(second)
                fired += try await a + b
            }
            let elapsed = ContinuousClock.now - started
            await other.close()
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let rate = Double(fired) / seconds
            print("scheduling bench: \(fired) timers fired (\(count) tasks\(Self.withLetters ? ", a 督办函 draft per overdue task" : ", no letter drafts")) in \(String(format: "%.2f", seconds)) s: \(Int(rate)) timers/s with their events committed (target ≥ 5000)")

            #expect(fired == expectedTimers)
            #expect(try await db.count("SELECT count(*)::int FROM task_timers WHERE fired_at IS NULL") == 0)
            let events = try await db.count("""
                SELECT count(*)::int FROM outbox WHERE type IN (\(EventType.taskDueSoon), \(EventType.taskOverdue))
                """)
            #expect(events == expectedTimers, "one event per timer")
            #expect(try await db.count("SELECT count(*)::int FROM tasks WHERE NOT overdue") == 0)
            let drafts = Self.withLetters ? count : 0
            #expect(try await db.count("SELECT count(*)::int FROM letters WHERE origin = 'task-overdue'") == drafts, "one 督办函 draft per task")
            #expect(try await db.count("SELECT count(*)::int FROM letter_units") == drafts)
            #expect(try await db.count("""
                SELECT count(*)::int FROM (SELECT aggregateid, type, payload->'workingDaysLeft' FROM outbox
                GROUP BY 1, 2, 3 HAVING count(*) > 1) AS duplicates
                """) == 0)
        }
    }

    private func drain(_ worker: TaskTimerWorker) async throws -> Int {
        var total = 0
        while true {
            let batch = try await worker.fireDue()
            if batch.claimed == 0 { return total }
            total += batch.claimed
        }
    }
}

/// The benchmark's tasks and timers, written in bulk (as `Tasks.create`
/// would one by one, without the assignment events the benchmark does not measure).
enum BenchSeed {
    static func insert(_ tasks: [WorkTask], timers: [(UUID, LocalDate, [PlannedTimer])], into pool: PostgresPool) async throws {
        let ids = tasks.map { $0.id.uuidString.lowercased() }
        let leads = tasks.map(\.leadUnitId)
        let dues = tasks.map(\.dueDate.description)
        let states = try tasks.map { String(decoding: try EventJSON.encoder.encode($0), as: UTF8.self) }
        var timerTasks: [String] = [], kinds: [String] = [], days: [String] = [], timerDues: [String] = [], fireAt: [String] = []
        for (task, due, planned) in timers {
            for timer in planned {
                timerTasks.append(task.uuidString.lowercased())
                kinds.append(timer.kind.rawValue)
                days.append(String(timer.workingDaysBefore))
                timerDues.append(due.description)
                fireAt.append(RFC3339.format(timer.fireAt))
            }
        }
        let now = tasks.first?.createdAt ?? Date(timeIntervalSince1970: 0)
        try await pool.transaction { connection in
            try await connection.execute("""
                INSERT INTO tasks (id, lead_unit_id, assisting_unit_ids, unit_ids, status, due_date, overdue, origin_kind,
                                   state, version, created_at, updated_at)
                SELECT t.id::uuid, t.lead, '{}', ARRAY[t.lead], 'accepted', t.due::date, false, 'office', t.state::jsonb, 1, \(now), \(now)
                FROM unnest(\(ids)::text[], \(leads)::text[], \(dues)::text[], \(states)::text[]) AS t(id, lead, due, state)
                """)
            try await connection.execute("""
                INSERT INTO task_timers (task_id, kind, working_days_before, due_date, fire_at)
                SELECT t.task::uuid, t.kind, t.days::integer, t.due::date, t.fire::timestamptz
                FROM unnest(\(timerTasks)::text[], \(kinds)::text[], \(days)::text[], \(timerDues)::text[], \(fireAt)::text[])
                    AS t(task, kind, days, due, fire)
                """)
        }
    }
}
