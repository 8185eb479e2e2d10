import Audit
import Domain
import EventFlow
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// 会议决策制度: the office schedules sittings of the plenary (全体会议) and the
/// liaison meeting (联络员例会); a convener calls an ad hoc plenary directly;
/// expected units answer the notice; the office chases non-answers, records
/// attendance at the sitting and publishes the minutes, whose decisions
/// become tasks.
struct MeetingRoutes {
    let pool: PostgresPool
    let now: @Sendable () -> Date
    let directory: MeetingDirectory
    let settings: MeetingSettings
    let calendar: WorkingDayCalendar
    /// Makes a decision's task in the publishing transaction (the tasks part); nil: decisions stay decisions.
    let decisionTasks: DecisionTasks?

    func register(on router: Router<ServiceRequestContext>) {
        router.post("/v1/meetings") { request, context in
            let principal = try context.require(anyOf: Access.meetingCallers)
            let (body, raw) = try await request.decodeJSON(MeetingRequests.NewMeeting.self)
            let meeting = try await validate(body, by: principal)
            return try await IdempotentCreate(pool: pool).run(request, principal: principal, body: raw) { connection in
                try await MeetingStore.insert(meeting, on: connection)
                try await Journal.record(
                    try MeetingEvent.meeting(EventType.meetingScheduled, meeting), by: AuditActor(principal),
                    at: meeting.updatedAt, on: connection)
                return (.created, try EventJSON.encoder.encode(meeting))
            }
        }
        router.get("/v1/meetings") { request, context in
            let principal = try context.require(anyOf: Access.meetingReaders)
            let query = request.uri.queryParameters
            var kind: MeetingKind?
            var status: MeetingStatus?
            if let raw = query.get("kind") {
                guard let parsed = MeetingKind(rawValue: raw) else { throw Problem.badRequest("unknown kind \(raw)", field: "kind") }
                kind = parsed
            }
            if let raw = query.get("status") {
                guard let parsed = MeetingStatus(rawValue: raw) else { throw Problem.badRequest("unknown status \(raw)", field: "status") }
                status = parsed
            }
            var unitId = query.get("unitId")
            if principal.role == .unit {
                if let unitId, unitId != principal.unitId {
                    throw Problem.forbidden("A unit token sees only its own unit's meetings (\(principal.unitId ?? "none")).")
                }
                unitId = principal.unitId ?? ""
            }
            return JSONResponse(Items(items: try await MeetingStore.list(
                kind: kind, status: status, unitId: unitId, from: nil, limit: 500, pool)))
        }
        router.get("/v1/meetings/{id}") { _, context in
            let principal = try context.require(anyOf: Access.meetingReaders)
            let meeting = try await pool.existing(MeetingStore.table, try context.uuid("id"))
            try Access.mayRead(meeting, principal)
            return JSONResponse(meeting)
        }
        router.get("/v1/meetings/{id}/calendar.ics") { _, context in
            let principal = try context.require(anyOf: Access.meetingReaders)
            let meeting = try await pool.existing(MeetingStore.table, try context.uuid("id"))
            try Access.mayRead(meeting, principal)
            let method: ICalendarDocument.Method = meeting.status == .cancelled ? .cancel : .request
            let text = try await MeetingCalendar(directory: directory, settings: settings)
                .document(method: method, meetings: [meeting], name: nil, at: now())
            return MeetingCalendar.response(text, method: method)
        }
        router.patch("/v1/meetings/{id}") { request, context in
            let principal = try context.require(anyOf: Access.managers)
            let id = try context.uuid("id")
            let (body, _) = try await request.decodeJSON(MeetingRequests.Revision.self)
            let revision = try await validate(body)
            return JSONResponse(try await change(id, by: principal) { meeting, _, _ in
                guard try meeting.revise(revision) else { return [] }
                if let startsAt = revision.startsAt, revision.endsAt == nil, meeting.endsAt <= startsAt {
                    throw Problem.validation([.init(field: "endsAt", detail: "must be after startsAt")])
                }
                if meeting.endsAt <= meeting.startsAt || meeting.endsAt.timeIntervalSince(meeting.startsAt) > MeetingRequests.maxDuration {
                    throw Problem.validation([.init(field: "endsAt", detail: "must be after startsAt and within 24 hours of it")])
                }
                return [try MeetingEvent.meeting(EventType.meetingRevised, meeting)]
            })
        }
        router.post("/v1/meetings/{id}/cancel") { request, context in
            let principal = try context.require(anyOf: Access.managers)
            let id = try context.uuid("id")
            let (body, _) = try await request.decodeJSON(MeetingRequests.Cancel.self)
            var validation = Validation()
            let reason = validation.text(body.reason, "reason", maxLength: 500)
            try validation.throwIfInvalid()
            return JSONResponse(try await change(id, by: principal) { meeting, time, _ in
                try meeting.cancel(by: principal.subject, at: time, reason: reason)
                return [try MeetingEvent.meeting(EventType.meetingCancelled, meeting)]
            })
        }
        router.post("/v1/meetings/{id}/answers") { request, context in
            let id = try context.uuid("id")
            let (body, _) = try await request.decodeJSON(MeetingRequests.Answer.self)
            let principal = try context.require(unit: body.unitId, orAnyOf: Access.managers)
            let answer = try MeetingRequests.answer(body, by: principal.subject, at: now())
            return JSONResponse(try await change(id, by: principal) { meeting, _, _ in
                try meeting.answer(unitId: body.unitId, answer)
                return [try MeetingEvent.answered(meeting, unitId: body.unitId, answer: answer)]
            })
        }
        router.post("/v1/meetings/{id}/chase") { _, context in
            let principal = try context.require(anyOf: Access.managers)
            let id = try context.uuid("id")
            return JSONResponse(try await change(id, by: principal) { meeting, time, _ in
                let chased = try meeting.chaseUnanswered(at: time)
                if chased.isEmpty { throw Problem.conflict("every expected unit has answered") }
                return [try MeetingEvent.chased(meeting, units: chased)]
            })
        }
        router.post("/v1/meetings/{id}/attendance") { request, context in
            let principal = try context.require(anyOf: Access.managers)
            let id = try context.uuid("id")
            let (body, _) = try await request.decodeJSON(MeetingRequests.Attendance.self)
            let time = now()
            var validation = Validation()
            validation.check(!body.records.isEmpty, "records", "must record at least one unit")
            var records: [String: RecordedAttendance] = [:]
            for (index, record) in body.records.enumerated() {
                validation.nested("records[\(index)]") { v in
                    let name = record.attendeeName.map { v.text($0, "attendeeName", maxLength: 50) }
                    let note = record.note.map { v.text($0, "note", maxLength: 500) }
                    // A unit recorded twice in one request: the later record stands.
                    records[record.unitId] = RecordedAttendance(
                        present: record.present, attendeeName: name, note: note, by: principal.subject, at: time)
                }
            }
            try validation.throwIfInvalid()
            let recorded = records
            // The records' time is the time the start is checked against.
            return JSONResponse(try await change(id, by: principal, at: time) { meeting, time, _ in
                try meeting.recordAttendance(recorded, at: time)
                return [try MeetingEvent.meeting(EventType.meetingHeld, meeting)]
            })
        }
        router.post("/v1/meetings/{id}/minutes") { request, context in
            let principal = try context.require(anyOf: Access.managers)
            let id = try context.uuid("id")
            let (body, _) = try await request.decodeJSON(MeetingRequests.PublishMinutes.self)
            let decisions = try await validate(body.decisions)
            var validation = Validation()
            let summary = validation.text(body.summary, "summary", maxLength: 20_000)
            try validation.throwIfInvalid()
            let (calendar, format, tasks) = (self.calendar, settings.minutesNumber, decisionTasks)
            return JSONResponse(try await change(id, by: principal) { meeting, time, connection in
                let today = LocalDateTime(time).date
                var due: [Decision] = []
                for decision in decisions {
                    var decision = decision
                    let answer: CalendarAnswer<LocalDate>
                    do {
                        answer = try decision.deadline.dueDate(publishedOn: today, calendar: calendar)
                    } catch {
                        throw Problem.validation([.init(field: "decisions", detail: "a deadline is outside the working-day calendar: \(error)")])
                    }
                    if let date = decision.deadline.date, date < today {
                        throw Problem.validation([.init(field: "decisions", detail: "a deadline date \(date) is before today, \(today)")])
                    }
                    decision.dueDate = answer.value
                    decision.dueDateProvisional = answer.isProvisional
                    due.append(decision)
                }
                guard meeting.status == .held else { throw MeetingTransitionError.notHeld(meeting.status) }
                if let existing = meeting.minutes { throw MeetingTransitionError.minutesAlreadyPublished(existing.number) }
                let sequence = try await MeetingStore.nextMinutesSequence(year: today.year, on: connection)
                var events: [OutboxEvent] = []
                if let tasks {
                    for index in due.indices {
                        let (taskId, taskEvents) = try await tasks.create(
                            due[index], meeting: meeting, number: format.number(year: today.year, sequence: sequence),
                            by: principal, at: time, connection)
                        due[index].taskId = taskId
                        events += taskEvents
                    }
                }
                try meeting.publish(Minutes(
                    number: format.number(year: today.year, sequence: sequence), year: today.year, sequence: sequence,
                    summary: summary, decisions: due, publishedBy: principal.subject, publishedAt: time))
                return [try MeetingEvent.meeting(EventType.minutesPublished, meeting)] + events
            })
        }
    }

    /// A step of a sitting's life at one time: a step its status (or the
    /// clock, for attendance before the start) does not allow is a 409,
    /// naming the field it is about when there is one.
    private func change(
        _ id: UUID, by principal: Principal, at time: Date? = nil,
        _ apply: @escaping @Sendable (inout Meeting, Date, PostgresConnection) async throws -> [OutboxEvent]
    ) async throws -> Meeting {
        let time = time ?? now()
        return try await pool.change(MeetingStore.table, id, by: AuditActor(principal), at: time) { meeting, connection in
            do {
                return try await apply(&meeting, time, connection)
            } catch let error as MeetingTransitionError {
                var problem = Problem.conflict("\(error)")
                problem.field = error.field
                throw problem
            }
        }
    }

    private func validate(_ body: MeetingRequests.NewMeeting, by principal: Principal) async throws -> Meeting {
        let time = now()
        var validation = Validation()
        let origin: MeetingOrigin
        if principal.role == .convener {
            // 必要时可由召集人临时主持召开全体会议; a liaison meeting needs a request (ad-hoc-meeting-requests).
            validation.check(body.kind == .plenary, "kind", "a convener calls only an ad hoc plenary; an ad hoc liaison meeting is requested and approved")
            origin = .adHocByConvener
        } else {
            origin = .series
        }
        let title = validation.text(body.title, "title", maxLength: 200)
        let place = validation.text(body.place, "place", maxLength: 200)
        MeetingRequests.times(body.startsAt.date, body.endsAt.date, &validation)
        validation.check(body.startsAt.date > time, "startsAt", "must be in the future")
        let chair = MeetingRequests.chair(body.chair, &validation)
        let agenda = MeetingRequests.agenda(body.agenda ?? [], &validation)
        if let ids = body.expectedUnitIds {
            validation.check(!ids.isEmpty, "expectedUnitIds", "must name at least one unit")
            validation.check(Set(ids).count == ids.count, "expectedUnitIds", "must not name a unit twice")
        }
        try validation.throwIfInvalid()
        let units = try await directory.activeUnits()
        let expected = body.expectedUnitIds ?? units.map(\.id)
        try await refuseUnknown(units: expected, field: "expectedUnitIds")
        try await refuseUnknown(units: MeetingRequests.presenters(agenda), field: "agenda")
        return Meeting(
            id: UUID(), kind: body.kind, origin: origin, requestId: nil, title: title, startsAt: body.startsAt.date,
            endsAt: body.endsAt.date, place: place, chair: chair, agenda: agenda, status: .scheduled,
            attendance: expected.map { UnitAttendance(unitId: $0, answer: nil, chasedAt: [], recorded: nil) },
            minutes: nil, sequence: 0, scheduled: .init(by: principal.subject, at: time), cancelled: nil, version: 1,
            updatedAt: time)
    }

    private func validate(_ body: MeetingRequests.Revision) async throws -> MeetingRevision {
        var validation = Validation()
        var revision = MeetingRevision()
        revision.title = body.title.map { validation.text($0, "title", maxLength: 200) }
        revision.place = body.place.map { validation.text($0, "place", maxLength: 200) }
        revision.startsAt = body.startsAt?.date
        revision.endsAt = body.endsAt?.date
        if let startsAt = revision.startsAt {
            validation.check(startsAt > now(), "startsAt", "must be in the future")
            if let endsAt = revision.endsAt { MeetingRequests.times(startsAt, endsAt, &validation) }
        }
        revision.chair = body.chair.map { MeetingRequests.chair($0, &validation) }
        revision.agenda = body.agenda.map { MeetingRequests.agenda($0, &validation) }
        try validation.throwIfInvalid()
        if let agenda = revision.agenda { try await refuseUnknown(units: MeetingRequests.presenters(agenda), field: "agenda") }
        return revision
    }

    private func validate(_ bodies: [MeetingRequests.DecisionBody]) async throws -> [Decision] {
        var validation = Validation()
        validation.check(bodies.count <= 100, "decisions", "must have at most 100 items")
        var decisions: [Decision] = []
        var named: [String] = []
        for (index, body) in bodies.enumerated() {
            validation.nested("decisions[\(index)]") { v in
                let text = v.text(body.text, "text", maxLength: 2000)
                // The lead unit named among the assisting ones too is only the lead.
                let assisting = (body.assistingUnitIds ?? []).filter { $0 != body.leadUnitId }
                v.check(Set(assisting).count == assisting.count, "assistingUnitIds", "must not name a unit twice")
                let deadline = body.deadline
                v.check((deadline.date == nil) != (deadline.workingDays == nil), "deadline",
                        "must give either a date or a number of working days")
                if let days = deadline.workingDays {
                    v.check((1...365).contains(days), "deadline.workingDays", "must be 1 to 365")
                }
                named += [body.leadUnitId] + assisting
                decisions.append(Decision(
                    id: UUID(), text: text, leadUnitId: body.leadUnitId, assistingUnitIds: assisting,
                    deadline: Deadline(date: deadline.date, workingDays: deadline.workingDays),
                    dueDate: LocalDateTime(now()).date, dueDateProvisional: false, taskId: nil))
            }
        }
        try validation.throwIfInvalid()
        try await refuseUnknown(units: named, field: "decisions")
        return decisions
    }

    /// 422 naming `field` when a unit id is not an active member unit (a state check).
    private func refuseUnknown(units ids: [String], field: String) async throws {
        let unknown = try await directory.unknownUnits(ids)
        if !unknown.isEmpty {
            throw Problem.validation([.init(field: field, detail: "names no active member unit: \(unknown.joined(separator: ", "))")])
        }
    }
}
