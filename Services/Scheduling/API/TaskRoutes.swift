import Audit
import Domain
import EventFlow
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// Tasks: the office assigns them; the lead unit accepts, reports progress
/// and completion; the office accepts the completion or returns it with a
/// reason and a new due date. Reports and attachments: `TaskReportRoutes`.
struct TaskRoutes {
    let pool: PostgresPool
    let now: @Sendable () -> Date
    let deadlines: TaskDeadlines

    struct NewTask: Codable, Sendable {
        var title: String
        var detail: String?
        var leadUnitId: String
        var assistingUnitIds: [String]?
        /// Exactly one of these two.
        var dueDate: LocalDate?
        var dueInWorkingDays: Int?
    }

    struct Return: Codable, Sendable {
        var reason: String
        /// Exactly one of these two: the new due date.
        var dueDate: LocalDate?
        var dueInWorkingDays: Int?
    }

    func register(on router: Router<ServiceRequestContext>) {
        router.post("/v1/tasks") { request, context in
            let principal = try context.require(anyOf: Access.managers)
            let (body, raw) = try await request.decodeJSON(NewTask.self)
            let draft = try validate(body)
            let time = now()
            return try await IdempotentCreate(pool: pool).run(request, principal: principal, body: raw) { [deadlines] connection in
                let created = try await Tasks.create(draft, by: AuditActor(principal), at: time, deadlines: deadlines, on: connection)
                return (.created, try EventJSON.encoder.encode(created.task))
            }
        }
        router.get("/v1/tasks") { request, context in
            let principal = try context.require(anyOf: Access.unitReaders)
            var filter = try filter(request)
            filter.unitId = try Access.authorize(principal, toList: filter.unitId)
            return JSONResponse(Items(items: try await TaskStore.list(filter, pool)))
        }
        router.get("/v1/tasks/{id}") { _, context in
            let principal = try context.require(anyOf: Access.unitReaders)
            let task = try await pool.existing(TaskStore.table, try context.uuid("id"))
            try Access.authorize(principal, toSee: task)
            return JSONResponse(task)
        }
        router.post("/v1/tasks/{id}/accept") { _, context in
            let principal = try context.require(anyOf: Access.units)
            let id = try context.uuid("id")
            let time = now()
            return JSONResponse(try await pool.change(TaskStore.table, id, by: AuditActor(principal), at: time) { task, _ in
                try Access.authorize(principal, asLeadOf: task)
                try Self.rule { () throws(TaskRuleError) in try task.accept(at: time) }
                return [try TaskEvent.state(EventType.taskAccepted, task, at: time)]
            })
        }
        router.post("/v1/tasks/{id}/complete") { _, context in
            let principal = try context.require(anyOf: Access.managers)
            let id = try context.uuid("id")
            let time = now()
            return JSONResponse(try await pool.change(TaskStore.table, id, by: AuditActor(principal), at: time) { task, _ in
                try Self.rule { () throws(TaskRuleError) in try task.complete(at: time) }
                return [try TaskEvent.state(EventType.taskCompleted, task, at: time)]
            })
        }
        router.post("/v1/tasks/{id}/return") { request, context in
            let principal = try context.require(anyOf: Access.managers)
            let id = try context.uuid("id")
            let (body, _) = try await request.decodeJSON(Return.self)
            let time = now()
            let (reason, due) = try validate(body, today: LocalDate(time, in: deadlines.officeHours.timeZone))
            return JSONResponse(try await pool.change(TaskStore.table, id, by: AuditActor(principal), at: time) { [deadlines] task, connection in
                try Self.rule { () throws(TaskRuleError) in
                    try task.returnForRework(reason: reason, dueDate: due, by: principal.subject, at: time)
                }
                try await TaskTimerStore.replace(
                    taskId: task.id, due: due, with: try deadlines.timers(due: due, now: time), on: connection)
                return [try TaskEvent.returned(task, reason: reason, at: time)]
            })
        }
    }

    /// A broken rule of the task's life is a 409 saying why.
    static func rule(_ body: () throws(TaskRuleError) -> Void) throws {
        do { try body() } catch { throw Problem.conflict(error.description) }
    }

    // MARK: - Validation

    private func validate(_ body: NewTask) throws -> TaskDraft {
        var validation = Validation()
        let title = validation.text(body.title, "title", maxLength: 200)
        let detail = body.detail.map { validation.text($0, "detail", maxLength: 5000) }
        let lead = validation.text(body.leadUnitId, "leadUnitId", maxLength: 100)
        let assisting = body.assistingUnitIds ?? []
        validation.check(assisting.count <= 40, "assistingUnitIds", "must name at most 40 units")
        let due = dueSpec(body.dueDate, body.dueInWorkingDays, &validation)
        let draft = TaskDraft(
            title: title, detail: detail, origin: TaskOrigin(kind: .office, reference: nil), leadUnitId: lead,
            assistingUnitIds: assisting, due: due ?? .workingDays(1))
        for problem in draft.problems { validation.add(problem.field, problem.detail) }
        try validation.throwIfInvalid()
        return draft
    }

    private func validate(_ body: Return, today: LocalDate) throws -> (String, LocalDate) {
        var validation = Validation()
        let reason = validation.text(body.reason, "reason", maxLength: 2000)
        let spec = dueSpec(body.dueDate, body.dueInWorkingDays, &validation)
        var due: LocalDate?
        if let spec {
            do {
                due = try spec.dueDate(today: today, calendar: deadlines.calendar)
            } catch {
                validation.add(spec.field, "cannot be computed: \(error)")
            }
        }
        if let due { validation.check(due > today, spec?.field ?? "dueDate", "must be after today (\(today))") }
        try validation.throwIfInvalid()
        return (reason, due!)
    }

    /// Exactly one of a date and a number of working days.
    private func dueSpec(_ date: LocalDate?, _ days: Int?, _ validation: inout Validation) -> DueSpec? {
        switch (date, days) {
        case (let date?, nil):
            return .date(date)
        case (nil, let days?):
            validation.check((1...250).contains(days), "dueInWorkingDays", "must be from 1 to 250")
            return .workingDays(days)
        case (nil, nil):
            validation.add("dueDate", "either dueDate or dueInWorkingDays is required")
        case (.some, .some):
            validation.add("dueInWorkingDays", "give dueDate or dueInWorkingDays, not both")
        }
        return nil
    }

    private func filter(_ request: Request) throws -> TaskStore.Filter {
        let query = request.uri.queryParameters
        var validation = Validation()
        func parse<T>(_ raw: String?, _ name: String, _ make: (String) -> T?) -> T? {
            guard let raw else { return nil }
            guard let value = make(raw) else { validation.add(name, "has an invalid value \(raw)"); return nil }
            return value
        }
        var filter = TaskStore.Filter()
        filter.unitId = query.get("unit")
        filter.status = parse(query.get("status"), "status", TaskStatus.init(rawValue:))
        filter.overdue = parse(query.get("overdue"), "overdue", Bool.init)
        filter.originKind = parse(query.get("origin"), "origin", TaskOriginKind.init(rawValue:))
        filter.limit = parse(query.get("limit"), "limit") { Int($0).flatMap { (1...500).contains($0) ? $0 : nil } } ?? 200
        filter.offset = parse(query.get("offset"), "offset") { Int($0).flatMap { (0...1_000_000).contains($0) ? $0 : nil } } ?? 0
        try validation.throwIfInvalid(status: .badRequest)
        return filter
    }
}
