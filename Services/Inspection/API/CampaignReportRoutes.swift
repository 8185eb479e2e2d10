import Audit
import Directory
import Domain
import EventFlow
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// The campaign's circulated report (通报): the office circulates it with its
/// note to every member unit, which closes the campaign. A preview (`GET`)
/// compiles the same report without circulating it.
struct CampaignReportRoutes {
    let pool: PostgresPool
    let now: @Sendable () -> Date

    struct Circulation: Codable, Sendable { var note: String }

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/v1/campaigns/{id}/report") { _, context in
            let principal = try context.require(anyOf: Access.campaignReaders)
            let id = try context.uuid("id")
            let (time, subject) = (now(), principal.subject)
            return JSONResponse(try await pool.transaction { connection -> CampaignReport in
                guard let campaign = try await CampaignStore.find(id, on: connection) else { throw Problem.notFound("no campaign \(id)") }
                if let report = campaign.report { return report }
                return try await Self.compile(campaign, note: "", by: subject, at: time, on: connection)
            })
        }
        router.post("/v1/campaigns/{id}/report") { request, context in
            let principal = try context.require(anyOf: Access.managers)
            let id = try context.uuid("id")
            let (body, _) = try await request.decodeJSON(Circulation.self)
            var validation = Validation()
            let note = validation.text(body.note, "note", maxLength: 5000)
            try validation.throwIfInvalid()
            let time = now()
            return JSONResponse(try await pool.change(CampaignStore.table, id, by: AuditActor(principal), at: time) { campaign, connection in
                guard campaign.status == .open else { throw Problem.conflict("the campaign's report is circulated already") }
                let report = try await Self.compile(campaign, note: note, by: principal.subject, at: time, on: connection)
                campaign.report = report
                campaign.status = .closed
                return [try CampaignEvent.campaign(EventType.campaignReportCirculated, campaign)]
            })
        }
    }

    static func compile(
        _ campaign: Campaign, note: String, by actor: String, at time: Date, on connection: PostgresConnection
    ) async throws -> CampaignReport {
        let inspections = try await InspectionStore.all(of: campaign.id, on: connection)
        let findings = try await FindingStore.all(of: campaign.id, on: connection)
        let units = try await DirectoryStore.activeUnits(on: connection)
        return CampaignReport.compile(
            note: note, inspections: inspections, findings: findings, recipientUnitIds: units.map(\.id), by: actor, at: time)
    }
}
