import Domain
import EventFlow
import Foundation
import Kafka
import Postgres
import Testing
import TestSupport

@testable import Scheduling

/// Issue 11: timers fire exactly once even with two scheduling processes
/// running. Two scheduling executables on one database and a private broker;
/// a month of tasks whose reminders and overdue marks the wall clock has
/// already passed is committed at once, so both processes' timer workers
/// (every second) race for the same timers. Every reminder and overdue mark
/// is then in the outbox once, and on the topic once: read back up to a
/// marker task's overdue event committed after all of them (the one relay
/// publishes in commit order), so a late duplicate would have been seen.
@Suite(.serialized, .enabled(if: SchedulingDatabase.isConfigured, "needs scripts/test.sh"))
struct TaskTimerProcessesTests {
    static let taskCount = 600

    @Test func twoProcessesFireEachReminderAndOverdueMarkOnce() async throws {
        let world = try await ServiceWorld.start()
        defer { world.stop() }
        let environment = ["SJ_KAFKA_BROKERS": world.brokers, "SJ_SCHEDULING_TIMER_INTERVAL_SECONDS": "1"]
        let first = try await SchedulingProcess.start(environment: environment)
        defer { first.kill() }
        let second = try await SchedulingProcess.start(environment: environment, database: first.database)
        defer { second.kill() }

        // A month of due dates ending a week ago, the timers planned a month
        // before that: every one is due by the processes' clocks.
        let today = LocalDate(Date())
        let planned = Date().addingTimeInterval(-70 * 86_400)
        var dueDates: [LocalDate] = []
        var day = today.adding(days: -38)
        while day <= today.adding(days: -7) {
            if try WorkingDayCalendar.china.isWorkingDay(day).value { dueDates.append(day) }
            day = day.adding(days: 1)
        }
        let units = SchedulingProcess.units.keys.sorted()
        var tasks: [WorkTask] = []
        var timers: [(UUID, LocalDate, [PlannedTimer])] = []
        var expected: Set<String> = []
        for index in 0..<Self.taskCount {
            let due = dueDates[index % dueDates.count]
            let task = Self.task("跨进程定时任务\(index)", unit: units[index % units.count], due: due, at: planned)
            let plan = try Fixture.deadlines.timers(due: due, now: planned)
            for timer in plan { expected.insert(Self.key(task.id.uuidString.lowercased(), timer.kind, timer.workingDaysBefore)) }
            tasks.append(task)
            timers.append((task.id, due, plan))
        }
        #expect(expected.count == Self.taskCount * 3, "each task has reminders 3 and 1 and its overdue mark")
        // One transaction: both workers see all of them at the same moment.
        try await BenchSeed.insert(tasks, timers: timers, into: first.pool)

        try await waitUntil("both processes fired every timer", timeout: .seconds(120)) {
            try await first.pool.query("SELECT count(*)::int FROM task_timers WHERE fired_at IS NULL")[0].decode(0, as: Int.self) == 0
        }
        let rows = try await first.pool.query("""
            SELECT aggregateid, type, coalesce((payload->>'workingDaysLeft')::int, 0) FROM outbox
            WHERE type IN (\(EventType.taskDueSoon), \(EventType.taskOverdue))
            """)
        var inOutbox: [String] = []
        for row in rows {
            let (id, type, days) = try row.decode((String, String, Int).self)
            inOutbox.append(Self.key(id, type == EventType.taskOverdue ? .overdue : .reminder, days))
        }
        #expect(inOutbox.count == expected.count, "one event per timer in the outbox")
        #expect(Set(inOutbox) == expected)
        // Each overdue mark drafted its task's 督办函 once, and every event is audited.
        #expect(try await first.count("letters") == Self.taskCount)
        let audited = try await first.pool.query("""
            SELECT count(*)::int FROM audit_log WHERE action IN (\(EventType.taskDueSoon), \(EventType.taskOverdue))
            """)[0].decode(0, as: Int.self)
        #expect(audited == expected.count)

        // The marker: one more task, overdue, committed after all the others.
        let marker = Self.task("标记任务", unit: units[0], due: dueDates[0], at: planned)
        try await BenchSeed.insert([marker], timers: [(marker.id, dueDates[0], [PlannedTimer(
            kind: .overdue, workingDaysBefore: 0, fireAt: Fixture.deadlines.overdueAt(dueDates[0]))])], into: first.pool)
        let markerKey = Self.key(marker.id.uuidString.lowercased(), .overdue, 0)

        var configuration = KafkaConsumerConfiguration(
            brokers: world.brokers, groupId: "timer-processes-\(UUID().uuidString)", topics: [Topic.schedulingTasks])
        configuration.properties["session.timeout.ms"] = "6000"
        let consumer = try KafkaConsumer(configuration: configuration, logger: SchedulingProcess.logger)
        var onTopic: [String] = []
        var sawMarker = false
        let deadline = ContinuousClock.now + .seconds(120)
        while !sawMarker && ContinuousClock.now < deadline {
            guard let batch = try await consumer.nextBatch() else { break }
            for message in batch {
                guard let type = message.header("ce_type")?.value.map({ String(decoding: $0, as: UTF8.self) }),
                    type == EventType.taskDueSoon || type == EventType.taskOverdue,
                    let id = message.key.map({ String(decoding: $0, as: UTF8.self) })
                else { continue }
                let payload = (try? JSONSerialization.jsonObject(with: Data(message.value ?? []))) as? [String: Any]
                let key = Self.key(id, type == EventType.taskOverdue ? .overdue : .reminder, payload?["workingDaysLeft"] as? Int ?? 0)
                if key == markerKey { sawMarker = true } else { onTopic.append(key) }
            }
        }
        await consumer.close()
        #expect(sawMarker, "the marker's overdue event reached the topic")
        #expect(onTopic.count == expected.count, "one message per timer on the topic")
        #expect(Set(onTopic) == expected)

        await second.stop()
        await first.stop()
    }

    static func key(_ taskId: String, _ kind: TaskTimerKind, _ days: Int) -> String { "\(taskId)/\(kind.rawValue)/\(days)" }

    static func task(_ title: String, unit: String, due: LocalDate, at time: Date) -> WorkTask {
        WorkTask(
            id: UUID(), title: title, detail: nil, origin: TaskOrigin(kind: .office, reference: nil), leadUnitId: unit,
            assistingUnitIds: [], dueDate: due, status: .accepted, overdueAt: nil, remindersSent: [], acceptedAt: time,
            submittedAt: nil, completedAt: nil, returns: [], createdBy: "office-1", createdAt: time, version: 1, updatedAt: time)
    }
}
