import Audit
import Domain
import EventFlow
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// 必要时经召集人同意，可临时召开例会: the office requests an ad hoc liaison
/// meeting, a convener approves it (the sitting is scheduled at once, with
/// every active unit expected) or refuses it, saying why. A 专题研判 request
/// from the inspection service (InspectionHandlers) is decided the same way;
/// it proposes no time or place, so its approval names them, and only the
/// units it names are expected.
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
        /// When and where the sitting is held (approval of a request that proposed none, i.e. a 专题研判 request).
        var startsAt: RequestTime?
        var endsAt: RequestTime?
        var place: String?
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
            let time = now()
            let sitting = Self.sitting(body, &validation, at: time)
            try validation.throwIfInvalid()
            let active = body.approved ? try await directory.activeUnits().map(\.id) : []
            let decided = try await pool.change(AdHocRequestStore.table, id, by: AuditActor(principal), at: time) { adHoc, connection in
                do {
                    try adHoc.decide(approved: body.approved, by: principal.subject, at: time, reason: reason)
                } catch {
                    throw Problem.conflict("\(error)")
                }
                if body.approved { try Self.settle(&adHoc, sitting) }
                // The units the request names that are still members; every active unit otherwise.
                let units = adHoc.unitIds.map { named in named.filter(active.contains) } ?? active
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

    /// The time and place a decision gives, checked as a new request's are; nil when it gives none.
    static func sitting(_ body: DecisionBody, _ validation: inout Validation, at time: Date) -> Sitting? {
        guard body.startsAt != nil || body.endsAt != nil || body.place != nil else { return nil }
        validation.check(body.approved, "approved", "must be true when a time or place is given")
        guard let startsAt = body.startsAt else { validation.add("startsAt", "is required with endsAt or place"); return nil }
        guard let endsAt = body.endsAt else { validation.add("endsAt", "is required with startsAt or place"); return nil }
        guard let rawPlace = body.place else { validation.add("place", "is required with startsAt"); return nil }
        let place = validation.text(rawPlace, "place", maxLength: 200)
        MeetingRequests.times(startsAt.date, endsAt.date, &validation, start: "startsAt", end: "endsAt")
        validation.check(startsAt.date > time, "startsAt", "must be in the future")
        return Sitting(startsAt: startsAt.date, endsAt: endsAt.date, place: place)
    }

    struct Sitting: Sendable {
        var startsAt: Date
        var endsAt: Date
        var place: String
    }

    /// An approved request's time and place: its proposal, or the decision's
    /// for a request that proposed none (a decision does not move a proposal).
    static func settle(_ adHoc: inout AdHocRequest, _ sitting: Sitting?) throws {
        if adHoc.proposedStartsAt != nil {
            if sitting != nil {
                throw Problem.validation([.init(field: "startsAt", detail: "the request proposed its time and place already")])
            }
            return
        }
        guard let sitting else {
            throw Problem.validation([.init(field: "startsAt", detail: "is required: the request proposes no time or place")])
        }
        adHoc.proposedStartsAt = sitting.startsAt
        adHoc.proposedEndsAt = sitting.endsAt
        adHoc.place = sitting.place
    }

    static func meeting(from adHoc: AdHocRequest, units: [String], chair: String, at time: Date) -> Meeting {
        Meeting(
            id: UUID(), kind: adHoc.kind, origin: .adHocApproved, requestId: adHoc.id,
            title: adHoc.title ?? "临时\(adHoc.kind.title)",
            startsAt: adHoc.proposedStartsAt ?? time, endsAt: adHoc.proposedEndsAt ?? time, place: adHoc.place ?? "",
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
            id: UUID(), kind: .liaison, title: nil, reason: reason, proposedStartsAt: body.proposedStartsAt.date,
            proposedEndsAt: body.proposedEndsAt.date, place: place, agenda: agenda, unitIds: nil, specialStudy: nil,
            status: .pending,
            requested: .init(by: subject, at: time), decided: nil, meetingId: nil, version: 1, updatedAt: time)
    }
}
