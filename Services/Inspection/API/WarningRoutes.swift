import Audit
import Domain
import EventFlow
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// Warnings: lists and one warning (office, conveners; a unit token only the
/// warnings its unit answers for), and the office's acts — confirm, change
/// the level with a reason, circulate (通报), close — each one event and one
/// audit entry (`pool.change`).
struct WarningRoutes {
    let pool: PostgresPool
    let rules: RiskRules
    let calendar: WorkingDayCalendar
    let now: @Sendable () -> Date

    struct Note: Codable, Sendable { var note: String? }
    struct LevelChange: Codable, Sendable {
        var level: WarningLevel
        var reason: String
    }
    struct Circulation: Codable, Sendable { var note: String }
    struct Closing: Codable, Sendable { var reason: String }

    struct Statistics: Codable, Sendable {
        /// Open warnings by level (blue, yellow, orange, red).
        var openByLevel: [String: Int]
    }

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/v1/warnings") { request, context in
            let principal = try context.require(anyOf: Access.warningReaders)
            var query = QueryParsing(request)
            let page = query.parse("page", QueryParsing.pageNumber) ?? 1
            let pageSize = query.parse("pageSize", QueryParsing.pageSize) ?? 50
            var search = WarningStore.Search(
                status: query.parse("status", Warning.Status.init(rawValue:)),
                level: query.parse("level", WarningLevel.init(rawValue:)), open: query.parse("open", Bool.init),
                subjectKey: query.parse("subjectKey", QueryParsing.exact(maxLength: 300)) ?? nil,
                unitId: query.parse("unitId", QueryParsing.exact(maxLength: 100)) ?? nil, page: page, pageSize: pageSize)
            try query.finish()
            if principal.role == .unit { search.unitId = principal.unitId ?? "" }
            return JSONResponse(try await WarningStore.search(search, pool))
        }
        router.get("/v1/warnings/statistics") { _, context in
            try context.require(anyOf: Access.overseers)
            var counts = try await WarningStore.openByLevel(pool)
            for level in WarningLevel.allCases where counts[level.rawValue] == nil { counts[level.rawValue] = 0 }
            return JSONResponse(Statistics(openByLevel: counts))
        }
        router.get("/v1/warnings/{id}") { _, context in
            let principal = try context.require(anyOf: Access.warningReaders)
            let id = try context.uuid("id")
            let warning = try await pool.existing(WarningStore.table, id)
            if principal.role == .unit, !warning.responsibleUnits.contains(where: { $0.unitId == principal.unitId }) {
                throw Problem.notFound("no warning \(id)")
            }
            return JSONResponse(warning)
        }
        router.post("/v1/warnings/{id}/confirm") { request, context in
            let principal = try context.require(anyOf: Access.managers)
            let id = try context.uuid("id")
            let (body, _) = try await request.decodeJSON(Note.self)
            var validation = Validation()
            let note = body.note.map { validation.text($0, "note", maxLength: 2000) }
            try validation.throwIfInvalid()
            return try await act(id, principal) { warning, time in
                try warning.confirm(by: principal.subject, at: time, note: note)
                return [try InspectionEvent.warning(EventType.warningConfirmed, warning)]
            }
        }
        router.post("/v1/warnings/{id}/level") { request, context in
            let principal = try context.require(anyOf: Access.managers)
            let id = try context.uuid("id")
            let (body, _) = try await request.decodeJSON(LevelChange.self)
            var validation = Validation()
            let reason = validation.text(body.reason, "reason", maxLength: 2000)
            try validation.throwIfInvalid()
            let (rules, calendar) = (self.rules, self.calendar)
            return try await act(id, principal) { warning, time in
                let previous = warning.level
                try warning.changeLevel(to: body.level, reason: reason, by: principal.subject, rules: rules, calendar: calendar, at: time)
                var events = [try InspectionEvent.warning(EventType.warningLevelChanged, warning, previousLevel: previous, reason: reason)]
                if warning.needsSpecialStudy(rules) {
                    warning.specialStudyRequested = true
                    let request = InspectionEvent.SpecialStudyRequest(for: warning, rules: rules, calendar: calendar, at: time)
                    events.append(try InspectionEvent.specialStudy(request, warning))
                }
                return events
            }
        }
        router.post("/v1/warnings/{id}/circulate") { request, context in
            let principal = try context.require(anyOf: Access.managers)
            let id = try context.uuid("id")
            let (body, _) = try await request.decodeJSON(Circulation.self)
            var validation = Validation()
            let note = validation.text(body.note, "note", maxLength: 2000)
            try validation.throwIfInvalid()
            return try await act(id, principal) { warning, time in
                try warning.circulate(by: principal.subject, at: time, note: note)
                return [try InspectionEvent.warning(EventType.warningCirculated, warning)]
            }
        }
        router.post("/v1/warnings/{id}/close") { request, context in
            let principal = try context.require(anyOf: Access.managers)
            let id = try context.uuid("id")
            let (body, _) = try await request.decodeJSON(Closing.self)
            var validation = Validation()
            let reason = validation.text(body.reason, "reason", maxLength: 2000)
            try validation.throwIfInvalid()
            return try await act(id, principal) { warning, time in
                try warning.close(by: principal.subject, at: time, reason: reason)
                return [try InspectionEvent.warning(EventType.warningClosed, warning)]
            }
        }
    }

    /// One office act: `pool.change` (lock, version, audit, outbox); a refused act is a 409.
    private func act(
        _ id: UUID, _ principal: Principal,
        _ body: @escaping @Sendable (inout Warning, Date) throws -> [OutboxEvent]
    ) async throws -> JSONResponse<Warning> {
        let time = now()
        do {
            return JSONResponse(try await pool.change(WarningStore.table, id, by: AuditActor(principal), at: time) { warning, _ in
                try body(&warning, time)
            })
        } catch let conflict as WarningConflict {
            throw Problem.conflict(conflict.description)
        }
    }
}
