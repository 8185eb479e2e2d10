import Audit
import Domain
import EventFlow
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// The office's series per kind (RRULE moved to a working day), its coming
/// occurrences, and the cadence watch's view of both kinds.
struct MeetingSeriesRoutes {
    let pool: PostgresPool
    let now: @Sendable () -> Date
    let calendar: WorkingDayCalendar
    let settings: MeetingSettings

    /// DTSTART as the document's pattern states it; a day the calendar does not have is a 422.
    static let startPattern = TextPattern(
        #"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"#)

    struct SeriesBody: Codable, Sendable {
        var start: String
        var rule: String
        var place: String
        var durationMinutes: Int
    }

    struct Occurrence: Codable, Sendable {
        var scheduled: LocalDateTime
        var start: LocalDateTime
        var moved: Bool
        var provisional: Bool
    }

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/v1/meeting-series") { _, context in
            try context.require(anyOf: Access.unitReaders)
            return JSONResponse(Items(items: try await MeetingSeriesStore.all(pool)))
        }
        router.put("/v1/meeting-series/{kind}") { request, context in
            let principal = try context.require(anyOf: Access.managers)
            let kind = try Self.kind(context)
            let (body, _) = try await request.decodeJSON(SeriesBody.self)
            var validation = Validation()
            validation.matches(body.start, Self.startPattern, "start", "must be a local time like 2026-12-10T09:00:00")
            let start = Self.startPattern.matches(body.start) ? try? LocalDateTime(parsing: body.start) : nil
            if Self.startPattern.matches(body.start) && start == nil {
                validation.add("start", "is not a day of the calendar (years 1 to 9999)")
            }
            let place = validation.text(body.place, "place", maxLength: 200)
            validation.check((15...1440).contains(body.durationMinutes), "durationMinutes", "must be 15 to 1440")
            if let start {
                do {
                    let rule = try RecurrenceRule(parsing: body.rule)
                    _ = try Recurrence(start: start, rule: rule)
                        .occurrences(limit: 1, nonWorkingDays: .moveToNextWorkingDay(calendar))
                } catch {
                    validation.add("rule", "is not a recurrence rule this service expands: \(error)")
                }
            }
            try validation.throwIfInvalid()
            guard let start else { throw Problem.validation([.init(field: "start", detail: "is required")]) }
            let time = now()
            let series = try await pool.transaction { connection in
                let previous = try await MeetingSeriesStore.lock(kind, on: connection)
                let series = MeetingSeries(
                    kind: kind, start: start, rule: body.rule, place: place, durationMinutes: body.durationMinutes,
                    version: (previous?.version ?? 0) + 1, updatedAt: time, updatedBy: principal.subject)
                try await MeetingSeriesStore.upsert(series, on: connection)
                try await Journal.record(try MeetingEvent.series(series), by: AuditActor(principal), at: time, on: connection)
                return series
            }
            return JSONResponse(series)
        }
        router.get("/v1/meeting-series/{kind}/occurrences") { request, context in
            try context.require(anyOf: Access.unitReaders)
            let kind = try Self.kind(context)
            let query = request.uri.queryParameters
            var from = LocalDateTime(now()).date
            if let raw = query.get("from") {
                guard let parsed = LocalDate(raw) else {
                    throw Problem.validation([.init(field: "from", detail: "must be a day of the calendar like 2026-12-01")])
                }
                from = parsed
            }
            var limit = 6
            if let raw = query.get("limit") {
                guard let parsed = Int(raw), (1...24).contains(parsed) else { throw Problem.badRequest("limit must be 1 to 24", field: "limit") }
                limit = parsed
            }
            guard let series = try await MeetingSeriesStore.find(kind, pool) else { throw Problem.notFound("no meeting series \(kind.rawValue)") }
            let occurrences: [Recurrence.Occurrence]
            do {
                occurrences = try series.upcoming(from: from, limit: limit, calendar: calendar)
            } catch {
                // A year the holiday data does not cover yet: say how far it goes.
                throw Problem.validation([.init(field: "from", detail: "\(error)")])
            }
            return JSONResponse(Items(items: occurrences.map {
                Occurrence(scheduled: $0.scheduled, start: $0.start, moved: $0.isMoved, provisional: $0.isProvisional)
            }))
        }
        router.get("/v1/meeting-cadence") { _, context in
            try context.require(anyOf: [.office, .convener, .countySystem])
            let time = now()
            let watch = CadenceWatch(calendar: calendar, alertWorkingDays: settings.cadenceAlertWorkingDays)
            let statuses = try await pool.withConnection { connection in
                var statuses: [CadenceWatch.Status] = []
                for kind in MeetingKind.allCases {
                    statuses.append(try await CadenceCheck.status(kind, watch: watch, since: settings.cadenceSince, at: time, on: connection))
                }
                return statuses
            }
            return JSONResponse(Items(items: statuses))
        }
    }

    private static func kind(_ context: ServiceRequestContext) throws -> MeetingKind {
        guard let raw = context.parameters.get("kind"), let kind = MeetingKind(rawValue: raw) else {
            throw Problem.notFound("no meeting series \(context.parameters.get("kind") ?? "")")
        }
        return kind
    }
}
