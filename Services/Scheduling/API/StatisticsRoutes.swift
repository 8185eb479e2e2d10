import Directory
import Domain
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// Statistics per unit and period (issue 11): `GET /v1/statistics/units?from=&to=`
/// as JSON, or `format=csv` as CSV Excel opens. A unit token gets its own
/// unit's row only.
struct StatisticsRoutes {
    let pool: PostgresPool
    let now: @Sendable () -> Date
    /// The office calendar: working hours to 签收, the end of a due working day.
    var calendar: WorkingDayCalendar = .china
    var officeHours: OfficeHours = .county

    /// The longest period one request may ask for.
    static let maxDays = 3660

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/v1/statistics/units") { request, context in
            let principal = try context.require(anyOf: Access.unitReaders)
            let query = request.uri.queryParameters
            let from = try Self.date(query.get("from"), "from")
            let to = try Self.date(query.get("to"), "to")
            var validation = Validation()
            validation.check(from <= to, "to", "must not be before from")
            validation.check(from.days(to: to) <= Self.maxDays, "to", "may be at most \(Self.maxDays) days after from")
            try validation.throwIfInvalid()
            let format = query.get("format") ?? "json"
            guard format == "json" || format == "csv" else {
                throw Problem.badRequest("format is json or csv", field: "format")
            }
            var unitId = query.get("unitId")
            if let unitId, !UnitIdText.pattern.matches(unitId) {
                throw Problem.badRequest("unitId must be a unit id like education-bureau", field: "unitId")
            }
            if principal.role == .unit {
                if let unitId, unitId != principal.unitId {
                    throw Problem.forbidden("a unit token reads only its own unit's statistics")
                }
                unitId = principal.unitId ?? ""
            }
            let time = now()
            let end = to.adding(days: 1).startOfDay()
            let letters = try await LetterStore.issued(to: unitId, before: end, pool)
            let tasks = try await StatisticsStore.tasks(before: end, pool)
            let meetings = try await StatisticsStore.heldMeetings(from: from.startOfDay(), before: end, pool)
            // Every member unit (a unit with nothing to count is a row of zeros,
            // not a missing row), and any other unit the letters or tasks name.
            let directory = try await pool.transaction { connection in
                try await DirectoryStore.activeUnits(on: connection)
            }
            let names = Dictionary(directory.map { ($0.id, $0.name) }) { first, _ in first }
            var units = unitId.map { [$0] } ?? directory.map(\.id)
            if unitId == nil {
                let named = Set(letters.flatMap { $0.addressees.map(\.unitId) } + tasks.map(\.leadUnitId))
                units += named.subtracting(units).sorted()
            }
            let rows = units.map {
                UnitStatistics.compute(
                    unitId: $0, from: from, to: to, letters: letters, tasks: tasks, meetings: meetings, calendar: calendar,
                    officeHours: officeHours, at: time)
            }
            if format == "csv" {
                let csv = UnitStatisticsCSV.render(rows, unitNames: names)
                let name = "unit-statistics-\(from)-\(to).csv"
                return Response(
                    status: .ok,
                    headers: [
                        .contentType: "text/csv; charset=utf-8",
                        .contentDisposition: "attachment; filename=\"\(name)\"",
                    ],
                    body: ResponseBody(byteBuffer: ByteBuffer(bytes: Array(csv.utf8))))
            }
            return try JSONResponse(Items(items: rows)).response(from: request, context: context)
        }
    }

    private static func date(_ text: String?, _ field: String) throws -> LocalDate {
        guard let text else { throw Problem.badRequest("\(field) is required (YYYY-MM-DD)", field: field) }
        guard let date = LocalDate(text) else { throw Problem.badRequest("\(field) must be a date YYYY-MM-DD", field: field) }
        return date
    }
}
