import Audit
import Domain
import EventFlow
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// Off-campus training institutions: registration (with the responsible
/// units derived from the duty matrix), status changes with reasons,
/// white-list and black-list flags, search with pagination.
struct InstitutionRoutes {
    let pool: PostgresPool
    let now: @Sendable () -> Date

    struct Registration: Codable, Sendable {
        var creditCode: String
        var name: String
        var category: InstitutionCategory
        var nonProfit: Bool
        var address: String
        var licenceNumber: String?
        /// `pending` (default) or `approved`: an institution is registered
        /// before or after its approval.
        var approvalStatus: InstitutionStatus?
        var whitelisted: Bool?
        var blacklisted: Bool?
    }

    struct StatusChange: Codable, Sendable {
        var status: InstitutionStatus
        var reason: String
    }

    struct Listing: Codable, Sendable {
        var whitelisted: Bool
        var blacklisted: Bool
        var reason: String
    }

    func register(on router: Router<ServiceRequestContext>) {
        router.post("/v1/institutions") { request, context in
            let principal = try context.require(anyOf: Access.managers)
            let (body, raw) = try await request.decodeJSON(Registration.self)
            let draft = try validate(body)
            return try await IdempotentCreate(pool: pool).run(request, principal: principal, body: raw) { connection in
                var institution = draft
                let units = try await UnitStore.all(on: connection)
                institution.responsibleUnits = Responsibility.derive(
                    category: institution.category, nonProfit: institution.nonProfit, units: units)
                guard try await InstitutionStore.insert(institution, on: connection) else {
                    throw Problem(
                        status: .conflict, type: Problem.typePrefix + "duplicate-credit-code",
                        detail: "an institution with credit code \(institution.creditCode) is registered already",
                        field: "creditCode")
                }
                try await InstitutionStore.recordStatus(institution, reason: "registered", by: principal.subject, on: connection)
                try await Journal.record(
                    try RegistryEvent.institution(EventType.institutionRegistered, institution), by: AuditActor(principal),
                    at: institution.registeredAt, on: connection)
                return (.created, try EventJSON.encoder.encode(institution))
            }
        }
        router.get("/v1/institutions") { request, context in
            _ = try context.require(anyOf: Access.readers)
            return JSONResponse(try await InstitutionStore.search(try search(request), pool))
        }
        router.get("/v1/institutions/{id}") { _, context in
            _ = try context.require(anyOf: Access.readers)
            let id = try context.uuid("id")
            return JSONResponse(try await pool.existing(InstitutionStore.table, id))
        }
        router.post("/v1/institutions/{id}/status") { request, context in
            let principal = try context.require(anyOf: Access.managers)
            let id = try context.uuid("id")
            let (body, _) = try await request.decodeJSON(StatusChange.self)
            var validation = Validation()
            let reason = validation.text(body.reason, "reason", maxLength: 2000)
            validation.check(body.status != .pending, "status", "cannot go back to pending")
            try validation.throwIfInvalid()
            return JSONResponse(try await pool.change(InstitutionStore.table, id, by: AuditActor(principal), at: now()) { institution, connection in
                let previous = institution.status
                guard InstitutionLifecycle.allows(previous, to: body.status) else {
                    throw Problem.conflict("an institution that is \(previous.rawValue) cannot become \(body.status.rawValue)")
                }
                institution.status = body.status
                institution.statusReason = reason
                try await InstitutionStore.recordStatus(institution, reason: reason, by: principal.subject, on: connection)
                return [try RegistryEvent.institution(EventType.institutionStatusChanged, institution, previousStatus: previous)]
            })
        }
        router.put("/v1/institutions/{id}/listing") { request, context in
            let principal = try context.require(anyOf: Access.managers)
            let id = try context.uuid("id")
            let (body, _) = try await request.decodeJSON(Listing.self)
            var validation = Validation()
            _ = validation.text(body.reason, "reason", maxLength: 2000)
            validation.check(!(body.whitelisted && body.blacklisted), "whitelisted", "an institution cannot be on both lists")
            try validation.throwIfInvalid()
            return JSONResponse(try await pool.change(InstitutionStore.table, id, by: AuditActor(principal), at: now()) { institution, _ in
                institution.whitelisted = body.whitelisted
                institution.blacklisted = body.blacklisted
                return [try RegistryEvent.institution(EventType.institutionUpdated, institution)]
            })
        }
    }

    private func validate(_ body: Registration) throws -> TrainingInstitution {
        var validation = Validation()
        // Letters in either case (stored upper case); nothing else is changed,
        // so what passes is exactly what the document's pattern admits.
        let code = String(body.creditCode.map { $0.isASCII ? Character($0.uppercased()) : $0 })
        do {
            try CreditCode.validate(code)
        } catch {
            validation.add("creditCode", "\(error)")
        }
        let name = validation.text(body.name, "name", maxLength: 100)
        let address = validation.text(body.address, "address", maxLength: 200)
        let licence = body.licenceNumber.map { validation.text($0, "licenceNumber", maxLength: 64) }
        let status = body.approvalStatus ?? .pending
        validation.check(status == .pending || status == .approved, "approvalStatus", "must be pending or approved at registration")
        validation.check(status != .approved || body.licenceNumber != nil, "licenceNumber", "is required for an approved institution")
        validation.check(!((body.whitelisted ?? false) && (body.blacklisted ?? false)), "whitelisted", "an institution cannot be on both lists")
        try validation.throwIfInvalid()
        let registeredAt = now()
        return TrainingInstitution(
            id: UUID(), creditCode: code, name: name, category: body.category, nonProfit: body.nonProfit, address: address,
            licenceNumber: licence, status: status, statusReason: nil, whitelisted: body.whitelisted ?? false,
            blacklisted: body.blacklisted ?? false,
            responsibleUnits: ResponsibleUnits(approving: [], registering: [], standardSetting: [], supervising: []),
            version: 1, registeredAt: registeredAt, updatedAt: registeredAt)
    }

    private func search(_ request: Request) throws -> InstitutionStore.Search {
        let query = request.uri.queryParameters
        var validation = Validation()
        func parse<T>(_ name: String, _ make: (String) -> T?) -> T? {
            guard let raw = query.get(name) else { return nil }
            guard let value = make(raw) else { validation.add(name, "has an invalid value \(raw)"); return nil }
            return value
        }
        let page = parse("page") { Int($0).flatMap { (1...1_000_000).contains($0) ? $0 : nil } } ?? 1
        let pageSize = parse("pageSize") { Int($0).flatMap { (1...200).contains($0) ? $0 : nil } } ?? 50
        let search = InstitutionStore.Search(
            text: query.get("q").map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 },
            category: parse("category", InstitutionCategory.init(rawValue:)),
            status: parse("status", InstitutionStatus.init(rawValue:)),
            whitelisted: parse("whitelisted", Bool.init), blacklisted: parse("blacklisted", Bool.init),
            page: page, pageSize: pageSize)
        try validation.throwIfInvalid(status: .badRequest)
        return search
    }
}
