import Audit
import Directory
import Domain
import EventFlow
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// 督办函 and 协调函 (issue 11, 督办协调制度): the office drafts and issues
/// them; each addressed unit signs for it (签收), reports (办理情况), and the
/// office accepts the report or returns it with a reason and a new date.
struct LetterRoutes {
    let pool: PostgresPool
    let settings: LetterSettings
    let now: @Sendable () -> Date

    struct NewLetter: Codable, Sendable {
        var kind: LetterKind
        var subject: String
        var body: String
        var cause: LetterCause
        var unitIds: [String]
        var replyWorkingDays: Int?
    }

    struct Cancellation: Codable, Sendable { var reason: String }
    struct NewReport: Codable, Sendable {
        var text: String
        /// Files the unit uploaded for this report (`LetterAttachmentRoutes`).
        var attachmentIds: [UUID]?
    }
    struct Return: Codable, Sendable {
        var reason: String
        var newDue: LocalDate
    }

    func register(on router: Router<ServiceRequestContext>) {
        router.post("/v1/letters") { request, context in
            let principal = try context.require(anyOf: Access.managers)
            let (body, raw) = try await request.decodeJSON(NewLetter.self)
            let letter = try validate(body, by: principal.subject)
            return try await IdempotentCreate(pool: pool).run(request, principal: principal, body: raw) { connection in
                try await Self.requireMembers(letter.addressees.map(\.unitId), on: connection)
                try await LetterStore.insert(letter, on: connection)
                try await Journal.record(
                    try LetterEvent.letter(EventType.letterDrafted, letter, at: letter.drafted.at),
                    by: AuditActor(principal), at: letter.drafted.at, on: connection)
                return (.created, try EventJSON.encoder.encode(letter))
            }
        }
        router.get("/v1/letters") { request, context in
            let principal = try context.require(anyOf: Access.unitReaders)
            var filter = LetterStore.Filter()
            let query = request.uri.queryParameters
            if let kind = query.get("kind") {
                guard LetterKind(rawValue: kind) != nil else { throw Problem.badRequest("unknown kind \(kind)", field: "kind") }
                filter.kind = kind
            }
            if let status = query.get("status") {
                guard LetterStatus(rawValue: status) != nil else {
                    throw Problem.badRequest("unknown status \(status)", field: "status")
                }
                filter.status = status
            }
            if let unitId = query.get("unitId") {
                guard UnitIdText.pattern.matches(unitId) else {
                    throw Problem.badRequest("unitId must be a unit id like education-bureau", field: "unitId")
                }
                filter.unitId = unitId
            }
            if principal.role == .unit {
                // A unit sees its own letters, once issued.
                if let asked = filter.unitId, asked != principal.unitId {
                    throw Problem.forbidden("a unit token reads only its own unit's letters")
                }
                filter.unitId = principal.unitId ?? ""
            }
            var letters = try await LetterStore.list(filter, pool)
            if principal.role == .unit { letters.removeAll { !Self.visibleToUnits($0) } }
            return JSONResponse(Items(items: letters))
        }
        router.get("/v1/letters/{id}") { _, context in
            let principal = try context.require(anyOf: Access.unitReaders)
            return JSONResponse(try await readable(context.uuid("id"), by: principal))
        }
        router.post("/v1/letters/{id}/issue") { _, context in
            let principal = try context.require(anyOf: Access.managers)
            let id = try context.uuid("id")
            return JSONResponse(try await change(id, by: principal) { letter, time, connection in
                try await LetterIssuing.issue(&letter, by: principal.subject, at: time, settings: settings, on: connection)
            })
        }
        router.post("/v1/letters/{id}/cancel") { request, context in
            let principal = try context.require(anyOf: Access.managers)
            let id = try context.uuid("id")
            let (body, _) = try await request.decodeJSON(Cancellation.self)
            var validation = Validation()
            let reason = validation.text(body.reason, "reason", maxLength: 2000)
            try validation.throwIfInvalid()
            return JSONResponse(try await change(id, by: principal) { letter, time, _ in
                try letter.cancel(by: principal.subject, at: time, reason: reason)
                return [try LetterEvent.letter(EventType.letterCancelled, letter, at: time)]
            })
        }
        router.post("/v1/letters/{id}/units/{unitId}/receipt") { _, context in
            let id = try context.uuid("id")
            let unitId = context.parameters.get("unitId") ?? ""
            let principal = try context.require(unit: unitId, orAnyOf: Access.managers)
            return JSONResponse(try await change(id, by: principal) { letter, time, _ in
                guard try letter.receive(unitId, by: principal.subject, at: time, via: .unit) else { return [] }
                return [try LetterEvent.unit(EventType.letterReceived, letter, unitId, at: time)]
            })
        }
        router.post("/v1/letters/{id}/units/{unitId}/reports") { request, context in
            let id = try context.uuid("id")
            let unitId = context.parameters.get("unitId") ?? ""
            let principal = try context.require(unit: unitId, orAnyOf: Access.noOtherRole)
            let (body, raw) = try await request.decodeJSON(NewReport.self)
            var validation = Validation()
            let text = validation.text(body.text, "text", maxLength: 20_000)
            let attachmentIds = body.attachmentIds ?? []
            validation.check(attachmentIds.count <= 20, "attachmentIds", "must cite at most 20 files")
            validation.check(Set(attachmentIds).count == attachmentIds.count, "attachmentIds", "must not repeat a file")
            try validation.throwIfInvalid()
            return try await IdempotentCreate(pool: pool).run(request, principal: principal, body: raw) { connection in
                let time = now()
                let letter = try await Self.changeOn(connection, id, by: AuditActor(principal), at: time) { letter in
                    let found = try await LetterAttachmentStore.lockUnreported(
                        attachmentIds, letterId: letter.id, unitId: unitId, on: connection)
                    var validation = Validation()
                    for (index, attachmentId) in attachmentIds.enumerated() where !found.contains(where: { $0.id == attachmentId }) {
                        validation.add("attachmentIds[\(index)]", "no file \(attachmentId) of this unit on this letter awaiting a report")
                    }
                    try validation.throwIfInvalid()
                    let report = LetterReport(
                        id: UUID(), text: text,
                        attachments: attachmentIds.compactMap { id in found.first { $0.id == id }?.reference },
                        by: principal.subject, at: time, onTime: true)
                    try letter.report(unitId, report)
                    try await LetterAttachmentStore.markReported(attachmentIds, reportId: report.id, on: connection)
                    try await LetterTimerStore.cancel(letterId: letter.id, unitId: unitId, on: connection)
                    return [try LetterEvent.unit(EventType.letterReported, letter, unitId, at: time)]
                }
                return (.created, try EventJSON.encoder.encode(letter))
            }
        }
        router.post("/v1/letters/{id}/units/{unitId}/acceptance") { _, context in
            let principal = try context.require(anyOf: Access.managers)
            let id = try context.uuid("id")
            let unitId = context.parameters.get("unitId") ?? ""
            return JSONResponse(try await change(id, by: principal) { letter, time, _ in
                try letter.accept(unitId, by: principal.subject, at: time)
                return [try LetterEvent.unit(EventType.letterAccepted, letter, unitId, at: time)]
            })
        }
        router.post("/v1/letters/{id}/units/{unitId}/return") { request, context in
            let principal = try context.require(anyOf: Access.managers)
            let id = try context.uuid("id")
            let unitId = context.parameters.get("unitId") ?? ""
            let (body, _) = try await request.decodeJSON(Return.self)
            var validation = Validation()
            let reason = validation.text(body.reason, "reason", maxLength: 2000)
            validation.check(body.newDue >= LocalDate(now()), "newDue", "must not be before today")
            try validation.throwIfInvalid()
            return JSONResponse(try await change(id, by: principal) { letter, time, connection in
                try letter.returnReport(unitId, by: principal.subject, at: time, reason: reason, newDue: body.newDue)
                try await LetterIssuing.scheduleTimers(letter, unitId, settings: settings, now: time, on: connection)
                return [try LetterEvent.unit(EventType.letterReturned, letter, unitId, at: time)]
            })
        }
    }

    /// Every addressed unit must be a member unit the directory knows, and
    /// not one the registry removed (it gets no new letters).
    static func requireMembers(_ unitIds: [String], on connection: PostgresConnection) async throws {
        let known = Dictionary(
            uniqueKeysWithValues: try await DirectoryStore.units(unitIds, on: connection).map { ($0.id, $0) })
        var validation = Validation()
        for (index, unitId) in unitIds.enumerated() {
            switch known[unitId]?.status {
            case nil: validation.add("unitIds", "unitIds[\(index)]: \(unitId) is not a member unit")
            case .removed: validation.add("unitIds", "unitIds[\(index)]: \(unitId) is no longer a member unit")
            case .active: break
            }
        }
        try validation.throwIfInvalid()
    }

    /// Units see a letter once it is issued, and only their own.
    static func visibleToUnits(_ letter: Letter) -> Bool {
        letter.status == .issued || letter.status == .closed
    }

    private func readable(_ id: UUID, by principal: Principal) async throws -> Letter {
        let letter = try await pool.existing(LetterStore.table, id)
        if principal.role == .unit {
            // Not found rather than forbidden: a unit does not learn other units' letters exist.
            guard Self.visibleToUnits(letter), let unit = principal.unitId, letter.addressee(unit) != nil else {
                throw Problem.notFound("no letter \(id)")
            }
        }
        return letter
    }

    /// A step of the letter's life, at one time: a step its state does not
    /// allow is a 409, one for a unit it is not addressed to a 404.
    private func change(
        _ id: UUID, by principal: Principal,
        _ apply: @escaping @Sendable (inout Letter, Date, PostgresConnection) async throws -> [OutboxEvent]
    ) async throws -> Letter {
        let time = now()
        return try await pool.change(LetterStore.table, id, by: AuditActor(principal), at: time) { letter, connection in
            if principal.role == .unit, !Self.visibleToUnits(letter) { throw Problem.notFound("no letter \(id)") }
            do {
                return try await apply(&letter, time, connection)
            } catch let error as LetterTransitionError {
                throw Self.problem(error)
            }
        }
    }

    /// `change` inside a transaction already open (a creating POST's).
    private static func changeOn(
        _ connection: PostgresConnection, _ id: UUID, by actor: AuditActor, at time: Date,
        _ apply: (inout Letter) async throws -> [OutboxEvent]
    ) async throws -> Letter {
        guard var letter = try await LetterStore.lock(id, on: connection), visibleToUnits(letter) else {
            throw Problem.notFound("no letter \(id)")
        }
        letter.version += 1
        letter.updatedAt = time
        let events: [OutboxEvent]
        do {
            events = try await apply(&letter)
        } catch let error as LetterTransitionError {
            throw problem(error)
        }
        try await LetterStore.update(letter, on: connection)
        try await Journal.record(events, by: actor, at: time, on: connection)
        return letter
    }

    static func problem(_ error: LetterTransitionError) -> Problem {
        switch error {
        case .notAddressed: Problem.notFound("\(error)")
        case .newDueInThePast: Problem.validation([.init(field: "newDue", detail: "\(error)")])
        default: Problem.conflict("\(error)")
        }
    }

    private func validate(_ body: NewLetter, by subject: String) throws -> Letter {
        let time = now()
        var validation = Validation()
        let subjectText = validation.text(body.subject, "subject", maxLength: 200)
        let text = validation.text(body.body, "body", maxLength: 20_000)
        var cause = body.cause
        cause.text = validation.text(body.cause.text, "cause.text", maxLength: 2000)
        // Whether a reference belongs depends on the kind: one rule, named `cause` (x-state-checks).
        if body.cause.kind == .text {
            validation.check(body.cause.reference == nil, "cause", "a text cause has no reference")
        } else if let reference = body.cause.reference {
            cause.reference = validation.text(reference, "cause.reference", maxLength: 200)
        } else {
            validation.add("cause", "a \(body.cause.kind.rawValue) cause needs its reference")
        }
        switch body.kind {
        case .supervision:
            validation.check(body.unitIds.count == 1, "unitIds", "a 督办函 goes to exactly one unit")
        case .coordination:
            validation.check(!body.unitIds.isEmpty, "unitIds", "a 协调函 goes to at least one unit")
        }
        validation.check(Set(body.unitIds).count == body.unitIds.count, "unitIds", "must not repeat a unit")
        for (index, unitId) in body.unitIds.enumerated() {
            validation.matches(unitId, UnitIdText.pattern, "unitIds[\(index)]", "must be a unit id like education-bureau")
        }
        if let days = body.replyWorkingDays {
            validation.check((1...60).contains(days), "replyWorkingDays", "must be 1 to 60 working days")
        }
        try validation.throwIfInvalid()
        return Letter(
            id: UUID(), kind: body.kind, status: .draft, number: nil, numberYear: nil, numberSequence: nil,
            subject: subjectText, body: text, cause: cause, replyWorkingDays: body.replyWorkingDays ?? settings.replyWorkingDays,
            addressees: body.unitIds.map(LetterAddressee.pending), origin: .office,
            drafted: LetterStep(by: subject, at: time), issued: nil, cancelled: nil, closedAt: nil, version: 1, updatedAt: time)
    }
}
