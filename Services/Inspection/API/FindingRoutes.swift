import Audit
import Domain
import EventFlow
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// Findings: read by the office and the conveners, by the unit that must
/// rectify, and by the inspectors of its inspection; the group's re-check
/// (复查) once the rectification task is completed; the office's closing.
struct FindingRoutes {
    let pool: PostgresPool
    let calendar: WorkingDayCalendar
    let now: @Sendable () -> Date

    struct RecheckRequest: Codable, Sendable {
        var passed: Bool
        var note: String
        /// A failed re-check's next round, 1–60 working days (default: the campaign's).
        var rectificationWorkingDays: Int?
    }

    struct Closing: Codable, Sendable { var reason: String }

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/v1/findings") { request, context in
            let principal = try context.require(anyOf: Access.inspectionReaders)
            var query = QueryParsing(request)
            var search = FindingStore.Search(
                campaignId: query.parse("campaignId", UUID.init(uuidString:)),
                unitId: query.parse("unitId", QueryParsing.exact(maxLength: 100)) ?? nil,
                status: query.parse("status", Finding.Status.init(rawValue:)),
                page: query.parse("page", QueryParsing.pageNumber) ?? 1, pageSize: query.parse("pageSize", QueryParsing.pageSize) ?? 50)
            try query.finish()
            if principal.role == .unit { search.unitId = principal.unitId ?? "" }
            return JSONResponse(try await FindingStore.search(search, pool))
        }
        router.get("/v1/findings/{id}") { _, context in
            let principal = try context.require(anyOf: Access.inspectionReaders)
            let finding = try await pool.existing(FindingStore.table, try context.uuid("id"))
            if principal.role == .unit, finding.unitId != principal.unitId {
                let inspection = try await InspectionStore.find(finding.inspectionId, pool)
                guard inspection?.isInspector(principal.subject) == true else { throw Problem.notFound("no finding \(finding.id)") }
            }
            return JSONResponse(finding)
        }
        router.post("/v1/findings/{id}/recheck") { request, context in
            let principal = try context.require(anyOf: Access.recorders)
            let id = try context.uuid("id")
            let (body, _) = try await request.decodeJSON(RecheckRequest.self)
            var validation = Validation()
            let note = validation.text(body.note, "note", maxLength: 2000)
            if let days = body.rectificationWorkingDays {
                validation.check((1...60).contains(days), "rectificationWorkingDays", "must be 1 to 60")
                validation.check(!body.passed, "rectificationWorkingDays", "is given only when the re-check failed")
            }
            try validation.throwIfInvalid()
            let (calendar, time) = (self.calendar, now())
            return try await change(id, principal, at: time) { finding, connection in
                guard let inspection = try await InspectionStore.lock(finding.inspectionId, on: connection) else {
                    throw Problem.notFound("no inspection \(finding.inspectionId)")
                }
                if principal.role != .office, !inspection.isInspector(principal.subject) {
                    if finding.unitId == principal.unitId { throw Problem.forbidden("only the group's inspectors (or the office) re-check a finding") }
                    throw Problem.notFound("no finding \(id)")
                }
                var days = body.rectificationWorkingDays ?? 0
                if body.rectificationWorkingDays == nil { days = try await defaultDays(finding.campaignId, connection) }
                try finding.recheck(passed: body.passed, note: note, by: principal.subject, workingDays: days, calendar: calendar, at: time)
                return [try CampaignEvent.finding(body.passed ? EventType.findingClosed : EventType.findingRecheckFailed, finding)]
            }
        }
        router.post("/v1/findings/{id}/close") { request, context in
            let principal = try context.require(anyOf: Access.managers)
            let id = try context.uuid("id")
            let (body, _) = try await request.decodeJSON(Closing.self)
            var validation = Validation()
            let reason = validation.text(body.reason, "reason", maxLength: 2000)
            try validation.throwIfInvalid()
            let time = now()
            return try await change(id, principal, at: time) { finding, _ in
                try finding.close(by: principal.subject, reason: reason, at: time)
                return [try CampaignEvent.finding(EventType.findingClosed, finding)]
            }
        }
    }

    private func defaultDays(_ campaignId: UUID, _ connection: PostgresConnection) async throws -> Int {
        try await CampaignStore.find(campaignId, on: connection)?.rectificationWorkingDays ?? 10
    }

    private func change(
        _ id: UUID, _ principal: Principal, at time: Date,
        _ body: @escaping @Sendable (inout Finding, PostgresConnection) async throws -> [OutboxEvent]
    ) async throws -> JSONResponse<Finding> {
        do {
            return JSONResponse(try await pool.change(FindingStore.table, id, by: AuditActor(principal), at: time, body))
        } catch let conflict as CampaignConflict {
            throw Problem.conflict(conflict.description)
        }
    }
}
