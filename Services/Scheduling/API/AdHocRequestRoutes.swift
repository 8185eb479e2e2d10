import Audit
import Domain
import EventFlow
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// 必要时经召集人同意，可临时召开例会: the office requests an ad hoc liaison
/// meeting, a convener approves it (the sitting is scheduled at once, with
/// every active unit expected) or refuses it, saying why.
struct AdHocRequestRoutes {
    let pool: PostgresPool
    let now: @Sendable () -> Date
    let directory: MeetingDirectory

    struct NewRequest: Codable, Sendable {
        var reason: String
        var proposedStartsAt: RequestTime
        var proposedEndsAt: RequestTime
        var place: String
        var agenda: [String]?
    }

    struct DecisionBody: Codable, Sendable {
        var approved: Bool
        var reason: String?
        /// Who chairs the sitting (approval only); defaults to the office (联络员例会由协调机制办公室组织).
        var chairName: String?
    }

    func register(on router: Router<ServiceRequestContext>) {
        router.post("/v1/ad-hoc-meeting-requests") { request, context in
            let principal = try context.require(anyOf: Access.managers)
            let (body, raw) = try await request.decodeJSON(NewRequest.self)
            let adHoc = try validate(body, by: principal.subject)
            return try await IdempotentCreate(pool: pool).run(request, principal: principal, body: raw) { connection in
                try await AdHocRequestStore.insert(adHoc, on: connection)
                try await Journal.record(
                    try MeetingEvent.request(EventType.adHocRequested, adHoc), by: AuditActor(principal),
                    at: adHoc.updatedAt, on: connection)
                return (.created, try EventJSON.encoder.encode(adHoc))
            }
        }
        router.get("/v1/ad-hoc-meeting-requests") { request, context in
            try context.require(anyOf: [.office, .convener, .countySystem])
            var status: AdHocStatus?
            if let raw = request.uri.queryParameters.get("status") {
                guard let parsed = AdHocStatus(rawValue: raw) else { throw Problem.badRequest("unknown status \(raw)", field: "status") }
                status = parsed
            }
            return JSONResponse(Items(items: try await AdHocRequestStore.list(status: status, pool)))
        }
        router.get("/v1/ad-hoc-meeting-requests/{id}") { _, context in
            try context.require(anyOf: [.office, .convener, .countySystem])
            return JSONResponse(try await pool.existing(AdHocRequestStore.table, try context.uuid("id")))
        }
        router.post("/v1/ad-hoc-meeting-requests/{id}/decision") { request, context in
            let principal = try context.require(anyOf: Access.adHocDeciders)
            let id = try context.uuid("id")
            let (body, _) = try await request.decodeJSON(DecisionBody.self)
            var validation = Validation()
            let reason = body.reason.map { validation.text($0, "reason", maxLength: 2000) }
            let chairName = body.chairName.map { validation.text($0, "chairName", maxLength: 50) }
            if !body.approved { validation.check(reason != nil, "reason", "is required when refused") }
            try validation.throwIfInvalid()
            let units = body.approved ? try await directory.activeUnits().map(\.id) : []
            let time = now()
            let decided = try await pool.change(AdHocRequestStore.table, id, by: AuditActor(principal), at: time) { adHoc, connection in
                do {
                    try adHoc.decide(approved: body.approved, by: principal.subject, at: time, reason: reason)
                } catch {
                    throw Problem.conflict("\(error)")
                }
                var events = [try MeetingEvent.request(EventType.adHocDecided, adHoc)]
                if body.approved {
                    let meeting = Self.meeting(from: adHoc, units: units, chair: chairName ?? "协调机制办公室", at: time)
                    adHoc.meetingId = meeting.id
                    events[0] = try MeetingEvent.request(EventType.adHocDecided, adHoc)
                    try await MeetingStore.insert(meeting, on: connection)
                    events.append(try MeetingEvent.meeting(EventType.meetingScheduled, meeting))
                }
                return events
            }
            return JSONResponse(decided)
        }
    }

    static func meeting(from adHoc: AdHocRequest, units: [String], chair: String, at time: Date) -> Meeting {
        Meeting(
            id: UUID(), kind: adHoc.kind, origin: .adHocApproved, requestId: adHoc.id, title: "临时\(adHoc.kind.title)",
            startsAt: adHoc.proposedStartsAt, endsAt: adHoc.proposedEndsAt, place: adHoc.place,
            chair: Chair(personId: nil, name: chair, delegatedBy: nil),
            agenda: adHoc.agenda.map { AgendaItem(id: UUID(), title: $0, presenterUnitId: nil, invitations: []) },
            status: .scheduled, attendance: units.map { UnitAttendance(unitId: $0, answer: nil, chasedAt: [], recorded: nil) },
            minutes: nil, sequence: 0, scheduled: .init(by: adHoc.decided?.by ?? adHoc.requested.by, at: time), cancelled: nil,
            version: 1, updatedAt: time)
    }

    private func validate(_ body: NewRequest, by subject: String) throws -> AdHocRequest {
        let time = now()
        var validation = Validation()
        let reason = validation.text(body.reason, "reason", maxLength: 2000)
        let place = validation.text(body.place, "place", maxLength: 200)
        MeetingRequests.times(
            body.proposedStartsAt.date, body.proposedEndsAt.date, &validation, start: "proposedStartsAt", end: "proposedEndsAt")
        validation.check(body.proposedStartsAt.date > time, "proposedStartsAt", "must be in the future")
        let items = body.agenda ?? []
        validation.check(items.count <= MeetingRequests.maxAgendaItems, "agenda", "must have at most \(MeetingRequests.maxAgendaItems) items")
        let agenda = items.enumerated().map { index, item in validation.text(item, "agenda[\(index)]", maxLength: 500) }
        try validation.throwIfInvalid()
        return AdHocRequest(
            id: UUID(), kind: .liaison, reason: reason, proposedStartsAt: body.proposedStartsAt.date,
            proposedEndsAt: body.proposedEndsAt.date, place: place, agenda: agenda, status: .pending,
            requested: .init(by: subject, at: time), decided: nil, meetingId: nil, version: 1, updatedAt: time)
    }
}
