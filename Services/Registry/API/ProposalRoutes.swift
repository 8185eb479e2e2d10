import Audit
import Domain
import EventFlow
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// Admitting a new member unit (notice: 若需增加成员单位，需经协调机制研究后报县政府批准):
/// the office proposes → a mechanism meeting studies it → the county
/// government approves (the unit is admitted) or either step rejects it.
struct ProposalRoutes {
    let pool: PostgresPool
    let now: @Sendable () -> Date

    /// A new unit's id: a lower-case slug (docs/openapi/registry.yaml, NewProposal.proposedUnitId).
    static let unitIdPattern = TextPattern(#"^[a-z][a-z0-9-]{1,62}$"#)

    struct NewProposal: Codable, Sendable {
        var unitName: String
        var proposedUnitId: String
        var duties: [ProposedDuty]
        var reason: String
    }

    struct Study: Codable, Sendable {
        var meetingReference: String
        var recommended: Bool
        var note: String?
    }

    struct Decision: Codable, Sendable {
        var approved: Bool
        var approvalDocument: String?
        var reason: String?
    }

    func register(on router: Router<ServiceRequestContext>) {
        router.post("/v1/membership-proposals") { request, context in
            let principal = try context.require(anyOf: Access.managers)
            let (body, raw) = try await request.decodeJSON(NewProposal.self)
            let proposal = try validate(body, by: principal.subject)
            return try await IdempotentCreate(pool: pool).run(request, principal: principal, body: raw) { connection in
                if let owner = try await UnitStore.owner(ofName: proposal.unitName, on: connection) {
                    throw Problem.conflict("\(proposal.unitName) is already the member unit \(owner)")
                }
                if try await UnitStore.lock(proposal.proposedUnitId, on: connection) != nil {
                    throw Problem.conflict("a member unit with id \(proposal.proposedUnitId) exists")
                }
                try await ProposalStore.insert(proposal, on: connection)
                try await Journal.record(
                    try RegistryEvent.proposal(EventType.proposalSubmitted, proposal, at: proposal.proposed.at),
                    by: AuditActor(principal), at: proposal.proposed.at, on: connection)
                return (.created, try EventJSON.encoder.encode(proposal))
            }
        }
        router.get("/v1/membership-proposals") { request, context in
            _ = try context.require(anyOf: Access.readers)
            var status: ProposalStatus?
            if let raw = request.uri.queryParameters.get("status") {
                guard let parsed = ProposalStatus(rawValue: raw) else { throw Problem.badRequest("unknown status \(raw)", field: "status") }
                status = parsed
            }
            return JSONResponse(Items(items: try await ProposalStore.list(status: status, pool)))
        }
        router.get("/v1/membership-proposals/{id}") { _, context in
            _ = try context.require(anyOf: Access.readers)
            let id = try context.uuid("id")
            return JSONResponse(try await pool.existing(ProposalStore.table, id))
        }
        router.post("/v1/membership-proposals/{id}/study") { request, context in
            let principal = try context.require(anyOf: Access.managers)
            let id = try context.uuid("id")
            let (body, _) = try await request.decodeJSON(Study.self)
            var validation = Validation()
            let reference = validation.text(body.meetingReference, "meetingReference", maxLength: 200)
            let note = body.note.map { validation.text($0, "note", maxLength: 2000) }
            try validation.throwIfInvalid()
            return JSONResponse(try await transition(id, by: principal) { proposal, now, _ in
                try proposal.study(by: principal.subject, at: now, meetingReference: reference, recommended: body.recommended, note: note)
                return [try RegistryEvent.proposal(EventType.proposalStudied, proposal, at: now)]
            })
        }
        router.post("/v1/membership-proposals/{id}/decision") { request, context in
            let principal = try context.require(anyOf: Access.managers)
            let id = try context.uuid("id")
            let (body, _) = try await request.decodeJSON(Decision.self)
            var validation = Validation()
            let document = body.approvalDocument.map { validation.text($0, "approvalDocument", maxLength: 100) }
            let reason = body.reason.map { validation.text($0, "reason", maxLength: 2000) }
            if body.approved {
                validation.check(document != nil, "approvalDocument", "is required when approved (the county government's document number)")
            } else {
                validation.check(reason != nil, "reason", "is required when rejected")
            }
            try validation.throwIfInvalid()
            return JSONResponse(try await transition(id, by: principal) { proposal, now, connection in
                try proposal.decide(
                    by: principal.subject, at: now, approved: body.approved, approvalDocument: document, reason: reason)
                var events = [try RegistryEvent.proposal(EventType.proposalDecided, proposal, at: now)]
                if body.approved {
                    let unit = admittedUnit(proposal, document: document ?? "", at: now)
                    if let owner = try await UnitStore.owner(ofName: unit.name, on: connection) {
                        throw Problem.conflict("\(unit.name) became the member unit \(owner) meanwhile")
                    }
                    // Two proposals may name the same id; the first approved takes it.
                    if try await UnitStore.lock(unit.id, on: connection) != nil {
                        throw Problem.conflict("a member unit with id \(unit.id) was admitted meanwhile")
                    }
                    try await UnitStore.insert(unit, on: connection)
                    proposal.admittedUnitId = unit.id
                    events[0] = try RegistryEvent.proposal(EventType.proposalDecided, proposal, at: now)
                    events.append(try RegistryEvent.unit(EventType.unitAdmitted, unit))
                }
                return events
            })
        }
    }

    /// A step of the proposal's life, at one time: a transition the
    /// proposal's status does not allow is a 409.
    private func transition(
        _ id: UUID, by principal: Principal,
        _ apply: @escaping @Sendable (inout MembershipProposal, Date, PostgresConnection) async throws -> [OutboxEvent]
    ) async throws -> MembershipProposal {
        let time = now()
        return try await pool.change(ProposalStore.table, id, by: AuditActor(principal), at: time) { proposal, connection in
            do {
                return try await apply(&proposal, time, connection)
            } catch let error as ProposalTransitionError {
                throw Problem.conflict("\(error)")
            }
        }
    }

    private func admittedUnit(_ proposal: MembershipProposal, document: String, at now: Date) -> MemberUnit {
        let duties = proposal.duties.enumerated().map { index, duty in
            Duty(id: "\(proposal.proposedUnitId)/\(index + 1)", text: duty.text, topics: duty.topics, sharedKey: nil, sharedWith: [])
        }
        return MemberUnit(
            id: proposal.proposedUnitId, name: proposal.unitName, aliases: [], duties: duties, memberId: nil, liaisonId: nil,
            contact: UnitContact(), admission: Admission(reference: document, admittedAt: now, proposalId: proposal.id),
            version: 1, updatedAt: now)
    }

    private func validate(_ body: NewProposal, by subject: String) throws -> MembershipProposal {
        let time = now()
        var validation = Validation()
        let name = validation.text(body.unitName, "unitName", maxLength: 60)
        validation.matches(body.proposedUnitId, Self.unitIdPattern, "proposedUnitId", "must be a lower-case slug like education-bureau")
        validation.check(!body.duties.isEmpty, "duties", "must list at least one duty")
        var duties = body.duties
        for (index, duty) in body.duties.enumerated() {
            validation.nested("duties[\(index)]") { item in
                duties[index].text = item.text(duty.text, "text", maxLength: 1000)
                item.check(!duty.topics.isEmpty, "topics", "must name at least one topic")
            }
        }
        let reason = validation.text(body.reason, "reason", maxLength: 2000)
        try validation.throwIfInvalid()
        return MembershipProposal(
            id: UUID(), unitName: name, proposedUnitId: body.proposedUnitId, duties: duties, reason: reason,
            status: .proposed, proposed: .init(by: subject, at: time), studied: nil, decided: nil, admittedUnitId: nil,
            version: 1, updatedAt: time)
    }
}
