import Audit
import Directory
import Domain
import EventFlow
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// Campaigns (联合指导检查): the office opens one and forms its joint
/// working groups (联合工作组); the office and the conveners read them.
struct CampaignRoutes {
    let pool: PostgresPool
    let now: @Sendable () -> Date

    struct Opening: Codable, Sendable {
        var title: String
        var basis: String
        var scope: String
        /// `unit` (default) or `institution`.
        var subjectKind: InspectionSubjectKind?
        var startDate: LocalDate
        var endDate: LocalDate
        /// 1–60, default 10.
        var rectificationWorkingDays: Int?
        var items: [ItemDraft]?
    }

    /// An item the office adds to checklists.
    struct ItemDraft: Codable, Sendable {
        var text: String
        /// The notice's paragraph or the rule's document.
        var basis: String
    }

    struct GroupDraft: Codable, Sendable {
        var name: String
        var leadUnitId: String
        /// The other units of the group (the lead is one without being named here).
        var memberUnitIds: [String]?
        var inspectorIds: [UUID]
    }

    func register(on router: Router<ServiceRequestContext>) {
        router.post("/v1/campaigns") { request, context in
            let principal = try context.require(anyOf: Access.managers)
            let (body, raw) = try await request.decodeJSON(Opening.self)
            var validation = Validation()
            let title = validation.text(body.title, "title", maxLength: 200)
            let basis = validation.text(body.basis, "basis", maxLength: 2000)
            let scope = validation.text(body.scope, "scope", maxLength: 2000)
            validation.check(body.endDate >= body.startDate, "endDate", "must not be before startDate")
            let days = body.rectificationWorkingDays ?? 10
            validation.check((1...60).contains(days), "rectificationWorkingDays", "must be 1 to 60")
            let items = Self.items(body.items ?? [], &validation, field: "items")
            try validation.throwIfInvalid()
            let time = now()
            let campaign = Campaign(
                id: UUID(), title: title, basis: basis, scope: scope, subjectKind: body.subjectKind ?? .unit,
                startDate: body.startDate, endDate: body.endDate, rectificationWorkingDays: days, extraItems: items, groups: [],
                status: .open, report: nil, openedBy: principal.subject, openedAt: time, version: 1, updatedAt: time)
            return try await IdempotentCreate(pool: pool).run(request, principal: principal, body: raw) { connection in
                try await CampaignStore.insert(campaign, on: connection)
                // The campaign notice goes to every member unit (the units it may inspect, or that take part).
                let units = try await DirectoryStore.activeUnits(on: connection).map(\.id)
                try await Journal.record(
                    try CampaignEvent.campaign(EventType.campaignOpened, campaign, noticeUnitIds: units), by: AuditActor(principal),
                    at: time, on: connection)
                return (.created, try EventJSON.encoder.encode(campaign))
            }
        }
        router.get("/v1/campaigns") { request, context in
            try context.require(anyOf: Access.campaignReaders)
            var query = QueryParsing(request)
            let status = query.parse("status", Campaign.Status.init(rawValue:))
            let page = query.parse("page", QueryParsing.pageNumber) ?? 1
            let pageSize = query.parse("pageSize", QueryParsing.pageSize) ?? 50
            try query.finish()
            return JSONResponse(try await CampaignStore.search(status: status, page: page, pageSize: pageSize, pool))
        }
        router.get("/v1/campaigns/{id}") { _, context in
            try context.require(anyOf: Access.campaignReaders)
            return JSONResponse(try await pool.existing(CampaignStore.table, try context.uuid("id")))
        }
        router.post("/v1/campaigns/{id}/groups") { request, context in
            let principal = try context.require(anyOf: Access.managers)
            let id = try context.uuid("id")
            let (body, raw) = try await request.decodeJSON(GroupDraft.self)
            var validation = Validation()
            let name = validation.text(body.name, "name", maxLength: 100)
            let leadUnitId = validation.text(body.leadUnitId, "leadUnitId", maxLength: 100)
            let others = body.memberUnitIds ?? []
            validation.check(others.count <= 30, "memberUnitIds", "must name at most 30 units")
            validation.check(Set(others).count == others.count, "memberUnitIds", "must not repeat a unit")
            validation.check(!body.inspectorIds.isEmpty, "inspectorIds", "must name at least one inspector")
            validation.check(body.inspectorIds.count <= 50, "inspectorIds", "must name at most 50 inspectors")
            validation.check(Set(body.inspectorIds).count == body.inspectorIds.count, "inspectorIds", "must not repeat a person")
            try validation.throwIfInvalid()
            let time = now()
            return try await IdempotentCreate(pool: pool).run(request, principal: principal, body: raw) { connection in
                guard var campaign = try await CampaignStore.lock(id, on: connection) else { throw Problem.notFound("no campaign \(id)") }
                guard campaign.status == .open else { throw Problem.conflict("the campaign is closed") }
                let unitIds = [leadUnitId] + others.filter { $0 != leadUnitId }
                let units = try await DirectoryStore.units(unitIds, on: connection)
                var check = Validation()
                for (index, unitId) in unitIds.enumerated() {
                    let field = index == 0 ? "leadUnitId" : "memberUnitIds"
                    guard let unit = units.first(where: { $0.id == unitId }) else { check.add(field, "no member unit \(unitId)"); continue }
                    check.check(unit.status == .active, field, "\(unit.name) is no longer a member unit")
                }
                var inspectors: [Inspector] = []
                for (index, personId) in body.inspectorIds.enumerated() {
                    guard let person = try await DirectoryStore.person(personId, on: connection) else {
                        check.add("inspectorIds", "[\(index)]: no person \(personId) in the registry"); continue
                    }
                    if let other = campaign.groups.first(where: { $0.inspectors.contains { $0.personId == personId } }) {
                        check.add("inspectorIds", "[\(index)]: \(person.name) is an inspector of \(other.name) already")
                    }
                    inspectors.append(Inspector(personId: person.id, name: person.name, unitId: person.unitId))
                }
                check.check(!campaign.groups.contains { $0.name == name }, "name", "the campaign has a group \(name) already")
                try check.throwIfInvalid()
                campaign.version += 1
                campaign.updatedAt = time
                campaign.groups.append(WorkingGroup(
                    id: UUID(), name: name, leadUnitId: leadUnitId, leadUnitName: units.first { $0.id == leadUnitId }?.name ?? leadUnitId,
                    memberUnitIds: unitIds, inspectors: inspectors))
                try await CampaignStore.update(campaign, on: connection)
                try await Journal.record(
                    try CampaignEvent.campaign(EventType.campaignGroupFormed, campaign), by: AuditActor(principal), at: time, on: connection)
                return (.created, try EventJSON.encoder.encode(campaign))
            }
        }
    }

    /// Office items, validated, numbered `o1`, `o2`, … after `existing` of them.
    static func items(_ drafts: [ItemDraft], _ validation: inout Validation, field: String, existing: Int = 0) -> [ChecklistItem] {
        validation.check(drafts.count <= 100, field, "must hold at most 100 items")
        return drafts.enumerated().map { index, draft in
            var item = ChecklistItem(id: "o\(existing + index + 1)", text: "", basis: "", source: .office, dutyId: nil, result: nil)
            validation.nested("\(field)[\(index)]") { nested in
                item.text = nested.text(draft.text, "text", maxLength: 1000)
                item.basis = nested.text(draft.basis, "basis", maxLength: 200)
            }
            return item
        }
    }
}
