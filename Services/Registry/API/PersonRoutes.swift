import Audit
import Domain
import EventFlow
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// People with their roles and contact channels. Member and liaison roles
/// are given through the unit (`PUT /v1/units/{id}/liaison|member`), so a
/// unit's posts and its people's roles never disagree.
struct PersonRoutes {
    let pool: PostgresPool
    let now: @Sendable () -> Date

    struct NewPerson: Codable, Sendable {
        var name: String
        var unitId: String?
        var title: String?
        var roles: [PersonRole]?
        var channels: ContactChannels?
    }

    /// Absent fields stay as they are.
    struct PersonChange: Codable, Sendable {
        var name: String?
        var title: String?
        var roles: [PersonRole]?
        var channels: ContactChannels?
    }

    static let directRoles: Set<PersonRole> = [.convener, .office]

    func register(on router: Router<ServiceRequestContext>) {
        router.post("/v1/people") { request, context in
            let principal = try context.require(anyOf: Access.managers)
            let (body, raw) = try await request.decodeJSON(NewPerson.self)
            let draft = try validate(body)
            return try await IdempotentCreate(pool: pool).run(request, principal: principal, body: raw) { connection in
                if let unitId = draft.unitId, try await UnitStore.lock(unitId, on: connection) == nil {
                    throw Problem.validation([.init(field: "unitId", detail: "no member unit \(unitId)")])
                }
                try await PersonStore.insert(draft, on: connection)
                try await Journal.record(
                    try RegistryEvent.person(EventType.personCreated, draft), by: AuditActor(principal), at: draft.updatedAt,
                    on: connection)
                return (.created, try EventJSON.encoder.encode(draft))
            }
        }
        router.get("/v1/people") { request, context in
            _ = try context.require(anyOf: Access.readers)
            let query = request.uri.queryParameters
            var role: PersonRole?
            if let raw = query.get("role") {
                guard let parsed = PersonRole(rawValue: raw) else {
                    throw Problem.badRequest("unknown role \(raw)", field: "role")
                }
                role = parsed
            }
            return JSONResponse(Items(items: try await PersonStore.list(unitId: query.get("unit"), role: role, pool)))
        }
        router.get("/v1/people/{id}") { _, context in
            _ = try context.require(anyOf: Access.readers)
            let id = try context.uuid("id")
            return JSONResponse(try await pool.existing(PersonStore.table, id))
        }
        router.patch("/v1/people/{id}") { request, context in
            // The role first: a reader who may not change people learns nothing more.
            let principal = try context.require(anyOf: Access.managers + [.unit])
            let id = try context.uuid("id")
            let (change, _) = try await request.decodeJSON(PersonChange.self)
            try validate(change)
            let person = try await pool.change(PersonStore.table, id, by: AuditActor(principal), at: now()) { person, _ in
                try authorize(principal, change, of: person)
                if let name = change.name { person.name = TextRules.trimmed(name) }
                if let title = change.title { person.title = TextRules.trimmed(title) }
                if let roles = change.roles {
                    // Keep the posts given through the unit; replace the direct roles.
                    person.roles = person.roles.filter { !Self.directRoles.contains($0) } + roles
                }
                if let channels = change.channels { person.channels = channels }
                return [try RegistryEvent.person(EventType.personChanged, person)]
            }
            return JSONResponse(person)
        }
    }

    /// The office changes anything; a unit's liaison only the contact
    /// channels of its own unit's people.
    private func authorize(_ principal: Principal, _ change: PersonChange, of person: Person) throws {
        if Access.managers.contains(principal.role) { return }
        guard principal.role == .unit, let unitId = person.unitId, principal.unitId == unitId else {
            throw Problem.forbidden("Only the office, or the liaison of \(person.unitId ?? "the person's unit"), may change this person.")
        }
        guard change.name == nil, change.title == nil, change.roles == nil else {
            throw Problem.forbidden("A unit may change only its people's contact channels.")
        }
    }

    private func validate(_ body: NewPerson) throws -> Person {
        var validation = Validation()
        let name = validation.text(body.name, "name", maxLength: 50)
        let title = body.title.map { validation.text($0, "title", maxLength: 100) }
        let roles = body.roles ?? []
        validateRoles(roles, &validation)
        if body.unitId == nil {
            validation.check(roles == [.convener], "unitId", "is required unless the person is only a convener")
        }
        let channels = body.channels ?? ContactChannels()
        validateChannels(channels, &validation)
        try validation.throwIfInvalid()
        return Person(
            id: UUID(), name: name, unitId: body.unitId, title: title, roles: roles, channels: channels,
            version: 1, updatedAt: now())
    }

    private func validate(_ change: PersonChange) throws {
        var validation = Validation()
        if let name = change.name { _ = validation.text(name, "name", maxLength: 50) }
        if let title = change.title { _ = validation.text(title, "title", maxLength: 100) }
        if let roles = change.roles { validateRoles(roles, &validation) }
        if let channels = change.channels { validateChannels(channels, &validation) }
        try validation.throwIfInvalid()
    }

    private func validateRoles(_ roles: [PersonRole], _ validation: inout Validation) {
        for (index, role) in roles.enumerated() where !Self.directRoles.contains(role) {
            validation.add("roles[\(index)]", "\(role.rawValue) is given with PUT /v1/units/{id}/\(role.rawValue)")
        }
        validation.check(Set(roles).count == roles.count, "roles", "must not repeat a role")
    }

    private func validateChannels(_ channels: ContactChannels, _ validation: inout Validation) {
        for problem in ContactValidation.problems(channels) {
            validation.add(problem.field, problem.detail)
        }
    }
}
