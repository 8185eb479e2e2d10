import Audit
import Domain
import EventFlow
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// Member units, their duties, member and liaison; the duty matrix; the
/// mechanism's positions.
struct UnitRoutes {
    let pool: PostgresPool
    let now: @Sendable () -> Date

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/v1/units") { _, context in
            _ = try context.require(anyOf: Access.readers)
            return JSONResponse(Items(items: try await UnitStore.all(pool)))
        }
        router.get("/v1/units/{id}") { _, context in
            _ = try context.require(anyOf: Access.readers)
            return JSONResponse(try await unit(context))
        }
        router.get("/v1/units/{id}/duties") { _, context in
            _ = try context.require(anyOf: Access.readers)
            return JSONResponse(Items(items: try await unit(context).duties))
        }
        router.put("/v1/units/{id}/contact") { request, context in
            let id = context.parameters.get("id") ?? ""
            let principal = try context.require(unit: id, orAnyOf: Access.managers)
            let (body, _) = try await request.decodeJSON(UnitContact.self)
            let contact = try validate(body)
            return JSONResponse(try await pool.change(UnitStore.table, id, by: AuditActor(principal), at: now()) { unit, _ in
                unit.contact = contact
                return [try RegistryEvent.unit(EventType.unitUpdated, unit)]
            })
        }
        router.put("/v1/units/{id}/liaison") { request, context in
            let principal = try context.require(anyOf: Access.managers)
            let (body, _) = try await request.decodeJSON(Assignment.self)
            return JSONResponse(try await assign(.liaison, body.personId, in: context.parameters.get("id") ?? "", by: principal))
        }
        router.put("/v1/units/{id}/member") { request, context in
            let principal = try context.require(anyOf: Access.managers)
            let (body, _) = try await request.decodeJSON(Assignment.self)
            return JSONResponse(try await assign(.member, body.personId, in: context.parameters.get("id") ?? "", by: principal))
        }
        router.get("/v1/duty-matrix") { request, context in
            _ = try context.require(anyOf: Access.readers)
            guard let raw = request.uri.queryParameters.get("topic") else {
                throw Problem.badRequest("topic is required, one of: \(DutyTopic.allCases.map(\.rawValue).joined(separator: ", "))", field: "topic")
            }
            guard let topic = DutyTopic(rawValue: raw) else {
                throw Problem.badRequest("unknown topic \(raw); one of: \(DutyTopic.allCases.map(\.rawValue).joined(separator: ", "))", field: "topic")
            }
            let found = try await UnitStore.responsible(for: topic, pool)
            let units = Responsibility.units(responsibleFor: topic, in: found).map { unit in
                ResponsibleUnit(
                    id: unit.id, name: unit.name, role: Responsibility.role(of: unit, for: topic) ?? .lead,
                    duties: unit.duties.filter { $0.topics.contains(topic) })
            }
            return JSONResponse(DutyMatrixAnswer(topic: topic, units: units))
        }
        router.get("/v1/duty-topics") { _, context in
            _ = try context.require(anyOf: Access.readers)
            return JSONResponse(Items(items: DutyTopic.allCases))
        }
        router.get("/v1/positions") { _, context in
            _ = try context.require(anyOf: Access.readers)
            return JSONResponse(Items(items: try await PositionStore.all(pool)))
        }
    }

    struct Assignment: Codable, Sendable { var personId: UUID }

    /// A unit answering for the topic: `lead` when one of its duties on it
    /// leads, `assisting` when it only assists; with just those duties.
    struct ResponsibleUnit: Codable, Sendable {
        var id: String
        var name: String
        var role: DutyRole
        var duties: [Duty]
    }

    struct DutyMatrixAnswer: Codable, Sendable {
        var topic: DutyTopic
        var units: [ResponsibleUnit]
    }

    private func unit(_ context: ServiceRequestContext) async throws -> MemberUnit {
        let id = context.parameters.get("id") ?? ""
        return try await pool.existing(UnitStore.table, id)
    }

    /// A unit's own phone: digits, spaces, `+` and `-` (docs/openapi/registry.yaml, UnitContact).
    static let phonePattern = TextPattern(#"^[0-9+\- ]{5,20}$"#)

    /// The contact as stored (the address trimmed), or a 422 naming every bad field.
    private func validate(_ contact: UnitContact) throws -> UnitContact {
        var validation = Validation()
        var cleaned = contact
        if let phone = contact.phone {
            validation.matches(phone, Self.phonePattern, "phone", "must be 5 to 20 digits, spaces, + or -")
        }
        if let email = contact.email, let problem = ContactValidation.emailProblem(email) {
            validation.add("email", problem)
        }
        if let address = contact.address { cleaned.address = validation.text(address, "address", maxLength: 200) }
        try validation.throwIfInvalid()
        return cleaned
    }

    /// Makes `personId` the unit's liaison or member: the person must belong
    /// to the unit; the role moves from the previous holder to the new one.
    private func assign(
        _ post: UnitPost, _ personId: UUID, in unitId: String, by principal: Principal
    ) async throws -> MemberUnit {
        try await pool.change(UnitStore.table, unitId, by: AuditActor(principal), at: now()) { unit, connection in
            guard var person = try await PersonStore.lock(personId, on: connection) else {
                throw Problem.validation([.init(field: "personId", detail: "no person \(personId)")])
            }
            guard person.unitId == unit.id else {
                throw Problem.validation([.init(field: "personId", detail: "\(person.name) does not belong to \(unit.name)")])
            }
            let role = post.role
            let previous = unit.holder(of: post)
            if previous == personId { throw Problem.conflict("\(person.name) already holds this post in \(unit.name)") }
            unit.appoint(personId, to: post)

            var events: [OutboxEvent] = []
            let now = unit.updatedAt
            if let previous, var former = try await PersonStore.lock(previous, on: connection) {
                former.roles.removeAll { $0 == role }
                former.version += 1
                former.updatedAt = now
                try await PersonStore.update(former, on: connection)
                events.append(try RegistryEvent.person(EventType.personChanged, former))
            }
            if !person.roles.contains(role) {
                person.roles.append(role)
                person.version += 1
                person.updatedAt = now
                try await PersonStore.update(person, on: connection)
                events.append(try RegistryEvent.person(EventType.personChanged, person))
            }
            events.append(post == .liaison
                ? try RegistryEvent.liaisonChanged(unit, liaison: person, previous: previous)
                : try RegistryEvent.unit(EventType.unitUpdated, unit))
            return events
        }
    }
}
