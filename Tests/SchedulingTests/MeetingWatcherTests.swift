import Domain
import EventFlow
import Foundation
import Logging
import Postgres
import Testing

@testable import Scheduling

/// The meetings part's timers against a real PostgreSQL: the cadence alert
/// and the automatic chase fire once, even with two watchers racing, and
/// the minutes numbers have no gaps.
@Suite(.serialized, .enabled(if: SchedulingDatabase.isConfigured, "needs SJ_TEST_DATABASE_URL (scripts/test.sh)"))
struct MeetingWatcherTests {
    static func watcher(_ database: SchedulingDatabase, _ clock: TestClock, since: String = "2026-09-01") -> MeetingWatcher {
        var settings = MeetingSettings()
        settings.cadenceAlertWorkingDays = 5
        settings.cadenceSince = since
        settings.chaseWorkingDays = 2
        return MeetingWatcher(
            pool: database.pool, calendar: .china, settings: settings, now: { clock.now() }, logger: SchedulingDatabase.logger)
    }

    @Test func aCadenceAlertGoesOutOncePerDueDayAndStateWithTwoWatchers() async throws {
        try await SchedulingDatabase.with(poolSize: 4) { database in
            // Since 09-01 with nothing held: the liaison meeting is due by 11-01, the plenary by 2027-03-01.
            let clock = TestClock(MeetingSample.instant("2026-10-20T09:00:00"))
            let (first, second) = (Self.watcher(database, clock), Self.watcher(database, clock))
            #expect(try await first.checkCadence().isEmpty)   // the alert day is 10-26 (five working days before 11-01, Sunday)

            clock.set(MeetingSample.instant("2026-10-27T09:00:00"))
            async let a = first.checkCadence()
            async let b = second.checkCadence()
            let alerted = try await a + b
            #expect(alerted.map(\.kind) == [.liaison])
            #expect(alerted.first?.state == .dueSoon)
            #expect(try await first.checkCadence().isEmpty)
            let events = try await database.events(EventType.meetingCadenceAlerted)
            #expect(events.count == 1)
            #expect((events.first?["cadence"] as? [String: Any])?["dueBy"] as? String == "2026-11-01")
            #expect(events.first?["cadenceRule"] as? String == "原则上每两个月召开一次联络员例会")

            // Past the due day with nothing held: missed, once.
            clock.set(MeetingSample.instant("2026-11-02T09:00:00"))
            #expect(try await second.checkCadence().map(\.state) == [.missed])
            #expect(try await first.checkCadence().isEmpty)
            #expect(try await database.events(EventType.meetingCadenceAlerted).count == 2)
            for problem in try await ContractAsyncAPI(documents: ContractDocuments()).problems(ofOutboxIn: database.pool) {
                Issue.record("\(problem)")
            }
        }
    }

    @Test func aSittingHeldRestartsTheCadence() async throws {
        try await SchedulingDatabase.with(poolSize: 4) { database in
            var meeting = MeetingSample.meeting(kind: .liaison, startsAt: "2026-10-22T09:00:00", endsAt: "2026-10-22T11:00:00")
            let recordedAt = MeetingSample.instant("2026-10-22T11:00:00")
            try meeting.recordAttendance(["education-bureau": RecordedAttendance(
                present: true, attendeeName: "刘洋", note: nil, by: "office", at: recordedAt)], at: recordedAt)
            try await database.pool.transaction { try await MeetingStore.insert(meeting, on: $0) }
            let clock = TestClock(MeetingSample.instant("2026-10-27T09:00:00"))
            #expect(try await Self.watcher(database, clock).checkCadence().isEmpty)
            let status = try await database.pool.withConnection { connection in
                try await CadenceCheck.status(
                    .liaison, watch: CadenceWatch(calendar: .china, alertWorkingDays: 5), since: "2026-09-01",
                    at: clock.now(), on: connection)
            }
            #expect(status.lastHeldOn == LocalDate("2026-10-22"))
            #expect(status.dueBy == LocalDate("2026-12-22"))
            #expect(status.state == .onTrack)
        }
    }

    @Test func unitsThatHaveNotAnsweredAreChasedOnceTwoWorkingDaysBefore() async throws {
        try await SchedulingDatabase.with(poolSize: 4) { database in
            var meeting = MeetingSample.meeting(kind: .liaison, startsAt: "2026-12-10T09:00:00", endsAt: "2026-12-10T11:00:00")
            try meeting.answer(unitId: "education-bureau", AttendanceAnswer(
                kind: .attends, attendeeName: "刘洋", by: "unit", at: MeetingSample.instant("2026-12-01T09:00:00")))
            try await database.pool.transaction { try await MeetingStore.insert(meeting, on: $0) }
            // 12-10 is a Thursday: two working days before is 12-08.
            let clock = TestClock(MeetingSample.instant("2026-12-07T17:00:00"))
            let (first, second) = (Self.watcher(database, clock), Self.watcher(database, clock))
            #expect(try await first.chaseDue().isEmpty)

            clock.set(MeetingSample.instant("2026-12-08T08:30:00"))
            async let a = first.chaseDue()
            async let b = second.chaseDue()
            let chased = try await a + b
            #expect(chased.count == 1)
            #expect(try await first.chaseDue().isEmpty)
            let events = try await database.events(EventType.meetingChased)
            #expect(events.count == 1)
            #expect(events.first?["chasedUnitIds"] as? [String] == ["market-bureau"])
            let stored = try #require(try await MeetingStore.find(meeting.id, database.pool))
            #expect(stored.attendance[1].chasedAt == [clock.now()])
            #expect(stored.attendance[0].chasedAt.isEmpty)
            #expect(stored.version == 2)
            let audit = try await database.pool.query("SELECT count(*) FROM audit_log WHERE action = \(EventType.meetingChased)")
            #expect(try audit.first?.decode(0, as: Int.self) == 1)
            for problem in try await ContractAsyncAPI(documents: ContractDocuments()).problems(ofOutboxIn: database.pool) {
                Issue.record("\(problem)")
            }
        }
    }

    @Test func minutesNumbersHaveNoGapsWhenAPublicationRollsBack() async throws {
        try await SchedulingDatabase.with(poolSize: 4) { database in
            struct Rollback: Error {}
            await #expect(throws: Rollback.self) {
                try await database.pool.transaction { connection in
                    #expect(try await MeetingStore.nextMinutesSequence(year: 2026, on: connection) == 1)
                    throw Rollback()
                }
            }
            let numbers = try await database.pool.transaction { connection in
                [try await MeetingStore.nextMinutesSequence(year: 2026, on: connection),
                 try await MeetingStore.nextMinutesSequence(year: 2026, on: connection),
                 try await MeetingStore.nextMinutesSequence(year: 2027, on: connection)]
            }
            #expect(numbers == [1, 2, 1])
            #expect(MinutesNumberFormat.standard.number(year: 2026, sequence: 2) == "房双减纪〔2026〕2号")
        }
    }
}
