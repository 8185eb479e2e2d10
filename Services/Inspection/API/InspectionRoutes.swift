import Audit
import Directory
import Domain
import EventFlow
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// Inspections: the office assigns one by hand (or a draw does); the named
/// inspectors record each item of its checklist and submit it (scored), which
/// raises a finding for every item that needs rectification. The office and
/// the conveners read all; a `unit` token its own unit's and those it inspects.
struct InspectionRoutes {
    let pool: PostgresPool
    let calendar: WorkingDayCalendar
    let checklist: InstitutionChecklist
    let now: @Sendable () -> Date

    /// A member unit (`unitId`) or a training institution (`institutionId`), as the campaign inspects.
    struct ManualAssignment: Codable, Sendable {
        var groupId: UUID
        var unitId: String?
        var institutionId: UUID?
        var inspectorIds: [UUID]
    }

    struct ItemRecord: Codable, Sendable {
        var outcome: ItemResult.Outcome
        var notes: String?
        /// Only for partly or not-compliant items: submitting raises a finding.
        var needsRectification: Bool?
        /// 1–60; default the campaign's.
        var rectificationWorkingDays: Int?
    }

    struct ItemAddition: Codable, Sendable { var items: [CampaignRoutes.ItemDraft] }

    func register(on router: Router<ServiceRequestContext>) {
        router.post("/v1/campaigns/{id}/inspections") { request, context in
            let principal = try context.require(anyOf: Access.managers)
            let id = try context.uuid("id")
            let (body, raw) = try await request.decodeJSON(ManualAssignment.self)
            var validation = Validation()
            let unitId = body.unitId.map { validation.text($0, "unitId", maxLength: 100) }
            validation.check(!body.inspectorIds.isEmpty, "inspectorIds", "must name at least one inspector")
            validation.check(body.inspectorIds.count <= 20, "inspectorIds", "must name at most 20 inspectors")
            validation.check(Set(body.inspectorIds).count == body.inspectorIds.count, "inspectorIds", "must not repeat a person")
            try validation.throwIfInvalid()
            let time = now()
            return try await IdempotentCreate(pool: pool).run(request, principal: principal, body: raw) { connection in
                guard let campaign = try await CampaignStore.lock(id, on: connection) else { throw Problem.notFound("no campaign \(id)") }
                guard campaign.status == .open else { throw Problem.conflict("the campaign is closed") }
                var check = Validation()
                guard let group = campaign.group(body.groupId) else {
                    throw Problem.validation([.init(field: "groupId", detail: "no group \(body.groupId) in this campaign")])
                }
                let inspection: Inspection
                switch campaign.subjectKind {
                case .unit:
                    check.check(body.institutionId == nil, "institutionId", "this campaign inspects member units: name unitId")
                    guard let unitId else { throw Problem.validation([.init(field: "unitId", detail: "is required: the campaign inspects member units")]) }
                    let unit = try await DirectoryStore.unit(unitId, on: connection)
                    if let unit {
                        check.check(unit.status == .active, "unitId", "\(unit.name) is no longer a member unit")
                    } else {
                        check.add("unitId", "no member unit \(unitId)")
                    }
                    if let refusal = Inspection.refusal(group: group, unitId: unitId, inspectorIds: body.inspectorIds) {
                        check.add(refusal.field, refusal.detail)
                    }
                    try check.throwIfInvalid()
                    guard let unit else { throw Problem.notFound("no member unit \(unitId)") }
                    inspection = Inspection.assign(
                        id: UUID(), campaign: campaign, group: group, unit: unit, inspectorIds: body.inspectorIds, assignment: .manual,
                        drawId: nil, at: time)
                case .institution:
                    check.check(unitId == nil, "unitId", "this campaign inspects training institutions: name institutionId")
                    guard let institutionId = body.institutionId else {
                        throw Problem.validation([.init(field: "institutionId", detail: "is required: the campaign inspects training institutions")])
                    }
                    let institution = try await InstitutionReadStore.institution(institutionId, on: connection)
                    if institution == nil { check.add("institutionId", "no training institution \(institutionId) in the registry") }
                    if let refusal = Inspection.refusal(group: group, unitId: nil, inspectorIds: body.inspectorIds) {
                        check.add(refusal.field, refusal.detail)
                    }
                    try check.throwIfInvalid()
                    guard let institution else { throw Problem.notFound("no training institution \(institutionId)") }
                    inspection = Inspection.assign(
                        id: UUID(), campaign: campaign, group: group, institution: institution, inspectorIds: body.inspectorIds,
                        checklist: checklist, assignment: .manual, drawId: nil, at: time)
                }
                guard try await InspectionStore.insert(inspection, on: connection) else {
                    throw Problem(
                        status: .conflict, type: Problem.typePrefix + "already-inspected",
                        detail: "the campaign inspects \(inspection.subjectName) already",
                        field: campaign.subjectKind == .unit ? "unitId" : "institutionId")
                }
                try await Journal.record(
                    try CampaignEvent.inspection(EventType.inspectionAssigned, inspection), by: AuditActor(principal), at: time,
                    on: connection)
                return (.created, try EventJSON.encoder.encode(inspection))
            }
        }
        router.get("/v1/inspections") { request, context in
            let principal = try context.require(anyOf: Access.inspectionReaders)
            var query = QueryParsing(request)
            var search = InspectionStore.Search(
                campaignId: query.parse("campaignId", UUID.init(uuidString:)),
                unitId: query.parse("unitId", QueryParsing.exact(maxLength: 100)) ?? nil,
                status: query.parse("status", Inspection.Status.init(rawValue:)),
                page: query.parse("page", QueryParsing.pageNumber) ?? 1, pageSize: query.parse("pageSize", QueryParsing.pageSize) ?? 50)
            try query.finish()
            if principal.role == .unit { search.visibleTo = (principal.unitId ?? "", principal.subject) }
            return JSONResponse(try await InspectionStore.search(search, pool))
        }
        router.get("/v1/inspections/{id}") { _, context in
            let principal = try context.require(anyOf: Access.inspectionReaders)
            let inspection = try await pool.existing(InspectionStore.table, try context.uuid("id"))
            guard Self.sees(principal, inspection) else { throw Problem.notFound("no inspection \(inspection.id)") }
            return JSONResponse(inspection)
        }
        router.put("/v1/inspections/{id}/items/{itemId}") { request, context in
            let principal = try context.require(anyOf: Access.recorders)
            let id = try context.uuid("id")
            let itemId = context.parameters.get("itemId") ?? ""
            let (body, _) = try await request.decodeJSON(ItemRecord.self)
            var validation = Validation()
            let notes = body.notes.map { validation.text($0, "notes", maxLength: 5000) }
            let needs = body.needsRectification ?? false
            validation.check(
                !needs || body.outcome == .partly || body.outcome == .notCompliant, "needsRectification",
                "only a partly or not-compliant item needs rectification")
            if let days = body.rectificationWorkingDays {
                validation.check((1...60).contains(days), "rectificationWorkingDays", "must be 1 to 60")
                validation.check(needs, "rectificationWorkingDays", "is given only with needsRectification")
            }
            validation.check(!needs || notes != nil, "notes", "must describe what is to be rectified")
            try validation.throwIfInvalid()
            return try await act(id, principal) { inspection, time in
                guard inspection.items.contains(where: { $0.id == itemId }) else {
                    throw Problem.notFound("no item \(itemId) in inspection \(id)")
                }
                try inspection.record(itemId: itemId, ItemResult(
                    outcome: body.outcome, notes: notes, needsRectification: needs, rectificationWorkingDays: body.rectificationWorkingDays,
                    recordedBy: principal.subject, recordedAt: time))
                return [try CampaignEvent.inspection(EventType.inspectionChecklistChanged, inspection)]
            }
        }
        router.post("/v1/inspections/{id}/items") { request, context in
            let principal = try context.require(anyOf: Access.managers)
            let id = try context.uuid("id")
            let (body, _) = try await request.decodeJSON(ItemAddition.self)
            var validation = Validation()
            validation.check(!body.items.isEmpty, "items", "must hold at least one item")
            let existing = try await pool.existing(InspectionStore.table, id).officeItemCount
            let items = CampaignRoutes.items(body.items, &validation, field: "items", existing: existing)
            try validation.throwIfInvalid()
            return try await act(id, principal) { inspection, _ in
                // Numbered from the locked state, so two additions at once never share an id.
                var numbered = items
                for index in numbered.indices { numbered[index].id = "o\(inspection.officeItemCount + index + 1)" }
                try inspection.add(numbered)
                return [try CampaignEvent.inspection(EventType.inspectionChecklistChanged, inspection)]
            }
        }
        router.post("/v1/inspections/{id}/submit") { _, context in
            let principal = try context.require(anyOf: Access.recorders)
            let id = try context.uuid("id")
            let calendar = self.calendar
            return try await act(id, principal) { inspection, time, connection in
                let needing = try inspection.submit(by: principal.subject, at: time)
                guard let campaign = try await CampaignStore.find(inspection.campaignId, on: connection) else {
                    throw Problem.notFound("no campaign \(inspection.campaignId)")
                }
                var events: [OutboxEvent] = []
                var findings: [Finding] = []
                for item in needing {
                    guard let result = item.result else { continue }
                    let (unitId, unitName, responsible) = try await Self.rectifyingUnits(inspection, item, campaign, connection)
                    let finding = Finding.raise(
                        id: UUID(), inspection: inspection, item: item, result: result, unitId: unitId, unitName: unitName,
                        responsibleUnitIds: responsible,
                        workingDays: result.rectificationWorkingDays ?? campaign.rectificationWorkingDays, calendar: calendar, at: time)
                    try await FindingStore.insert(finding, on: connection)
                    findings.append(finding)
                }
                inspection.findingIds = findings.map(\.id)
                events.append(try CampaignEvent.inspection(EventType.inspectionSubmitted, inspection))
                for finding in findings { events.append(try CampaignEvent.finding(EventType.findingRaised, finding)) }
                return events
            }
        }
    }

    /// Who acts on a finding. A member unit: itself. An institution: its
    /// supervising units (the registry's, lead first), then the units of the
    /// item's duty-matrix topics (leads first); the first leads the
    /// rectification task. Should none be known, the group's lead unit.
    static func rectifyingUnits(
        _ inspection: Inspection, _ item: ChecklistItem, _ campaign: Campaign, _ connection: PostgresConnection
    ) async throws -> (String, String, [String]) {
        if let unitId = inspection.unitId { return (unitId, inspection.subjectName, [unitId]) }
        var ids: [String] = []
        if let institutionId = inspection.institutionId, let institution = try await InstitutionReadStore.institution(institutionId, on: connection) {
            ids += institution.supervising
        }
        var assisting: [String] = []
        for topic in item.topics ?? [] {
            for unit in try await DirectoryStore.responsibleUnits(for: topic, on: connection) {
                if unit.role == .lead { ids.append(unit.unitId) } else { assisting.append(unit.unitId) }
            }
        }
        ids += assisting
        var seen: Set<String> = []
        ids = ids.filter { seen.insert($0).inserted }
        if ids.isEmpty, let group = campaign.group(inspection.groupId) { ids = [group.leadUnitId] }
        let names = try await DirectoryStore.unitNames(ids, on: connection)
        let lead = ids.first ?? ""
        return (lead, names[lead] ?? lead, ids)
    }

    /// The office and conveners see every inspection; a `unit` token its own unit's and those naming it as inspector.
    static func sees(_ principal: Principal, _ inspection: Inspection) -> Bool {
        guard principal.role == .unit else { return true }
        return inspection.unitId == principal.unitId || inspection.isInspector(principal.subject)
    }

    /// One act on an inspection by the office or one of its inspectors (`pool.change`); a refused act is a 409.
    private func act(
        _ id: UUID, _ principal: Principal,
        _ body: @escaping @Sendable (inout Inspection, Date, PostgresConnection) async throws -> [OutboxEvent]
    ) async throws -> JSONResponse<Inspection> {
        let time = now()
        do {
            return JSONResponse(try await pool.change(InspectionStore.table, id, by: AuditActor(principal), at: time) { inspection, connection in
                if principal.role != .office {
                    guard Self.sees(principal, inspection) else { throw Problem.notFound("no inspection \(id)") }
                    guard inspection.isInspector(principal.subject) else {
                        throw Problem.forbidden("only the inspection's inspectors (or the office) record it")
                    }
                }
                return try await body(&inspection, time, connection)
            })
        } catch let conflict as CampaignConflict {
            throw Problem.conflict(conflict.description)
        }
    }

    private func act(
        _ id: UUID, _ principal: Principal, _ body: @escaping @Sendable (inout Inspection, Date) throws -> [OutboxEvent]
    ) async throws -> JSONResponse<Inspection> {
        try await act(id, principal) { inspection, time, _ in try body(&inspection, time) }
    }
}
