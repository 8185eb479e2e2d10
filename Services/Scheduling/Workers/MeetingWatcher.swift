import Audit
import Domain
import EventFlow
import Foundation
import Logging
import Postgres
import ServiceKit
import ServiceLifecycle

/// The meetings part's timers, in PostgreSQL so they survive restarts and act
/// once with several scheduling processes running:
///
/// - the cadence watch: when a kind enters its alert window (or its cadence
///   is missed) with no sitting held, `meeting-cadence.alerted.v1` goes to
///   the office and the conveners once per kind, due day and state
///   (`meeting_cadence_alerts` takes the claim);
/// - the chase (催报): `chaseWorkingDays` working days before a sitting, the
///   expected units that have not answered and were never chased are chased
///   once (`FOR UPDATE SKIP LOCKED` on the sitting's row).
///
/// The clock is injected, so tests move time instead of sleeping.
final class MeetingWatcher: Service, Sendable {
    private let pool: PostgresPool
    private let calendar: WorkingDayCalendar
    private let settings: MeetingSettings
    private let interval: Duration
    private let now: @Sendable () -> Date
    private let logger: Logger
    private static let actor = AuditActor.system("scheduling.meeting-watcher")

    init(
        pool: PostgresPool, calendar: WorkingDayCalendar, settings: MeetingSettings, interval: Duration = .seconds(60),
        now: @escaping @Sendable () -> Date, logger: Logger
    ) {
        self.pool = pool
        self.calendar = calendar
        self.settings = settings
        self.interval = interval
        self.now = now
        var logger = logger
        logger[metadataKey: "component"] = "meeting-watcher"
        self.logger = logger
    }

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await checkCadence()
                try await chaseDue()
            } catch {
                logger.error("meeting watch failed", metadata: ["error": "\(error)"])
            }
            let interval = self.interval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// Alerts each kind whose cadence is due soon or missed, once per due day and state.
    @discardableResult
    func checkCadence() async throws -> [CadenceWatch.Status] {
        let time = now()
        let watch = CadenceWatch(calendar: calendar, alertWorkingDays: settings.cadenceAlertWorkingDays)
        let since = settings.cadenceSince
        return try await pool.transaction { connection in
            var alerted: [CadenceWatch.Status] = []
            for kind in MeetingKind.allCases {
                let status = try await CadenceCheck.status(kind, watch: watch, since: since, at: time, on: connection)
                guard status.state == .dueSoon || status.state == .missed else { continue }
                guard try await CadenceAlertStore.claim(
                    kind.rawValue, dueBy: status.dueBy.description, state: status.state.rawValue, at: time, on: connection)
                else { continue }
                alerted.append(status)
            }
            try await Journal.record(try alerted.map { try MeetingEvent.cadence($0, at: time) }, by: Self.actor, at: time, on: connection)
            return alerted
        }
    }

    /// Chases the units of every sitting whose chase day has come; returns the sittings chased.
    @discardableResult
    func chaseDue() async throws -> [Meeting] {
        let time = now()
        let today = LocalDateTime(time).date
        let (calendar, workingDays) = (self.calendar, settings.chaseWorkingDays)
        return try await pool.transaction { connection in
            // A sitting is at most ~30 working days away when its chase day comes.
            let horizon = time.addingTimeInterval(60 * 86_400)
            var chased: [Meeting] = []
            var events: [OutboxEvent] = []
            for var meeting in try await MeetingStore.lockScheduled(from: time, through: horizon, on: connection) {
                let chaseDay = try calendar.addingWorkingDays(-workingDays, to: LocalDateTime(meeting.startsAt).date).value
                guard today >= chaseDay else { continue }
                let neverChased = meeting.attendance.filter { $0.answer == nil && $0.chasedAt.isEmpty }.map(\.unitId)
                guard !neverChased.isEmpty else { continue }
                for index in meeting.attendance.indices where neverChased.contains(meeting.attendance[index].unitId) {
                    meeting.attendance[index].chasedAt.append(time)
                }
                meeting.version += 1
                meeting.updatedAt = time
                try await MeetingStore.update(meeting, on: connection)
                events.append(try MeetingEvent.chased(meeting, units: neverChased))
                chased.append(meeting)
            }
            try await Journal.record(events, by: Self.actor, at: time, on: connection)
            return chased
        }
    }
}
