import Audit
import Directory
import Domain
import EventFlow
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// 双随机: the office draws which units each group inspects and who inspects
/// them (`RandomDraw`), with a seed it gives or the service generates; the
/// record (inputs, seed, algorithm, result) is kept, published and can be
/// re-run by anyone who reads it (`verify`).
struct DrawRoutes {
    let pool: PostgresPool
    let checklist: InstitutionChecklist
    let now: @Sendable () -> Date

    struct DrawRequest: Codable, Sendable {
        /// The units to draw among (default: every active member unit the campaign does not inspect yet).
        var unitIds: [String]?
        /// An institution campaign: the institutions to draw among (default: every one the registry has that the campaign does not inspect yet).
        var institutionIds: [UUID]?
        /// 1–5, default 2.
        var inspectorsPerInspection: Int?
        /// 16 hex digits; generated when absent.
        var seed: String?
    }

    struct Verification: Codable, Sendable {
        var drawId: UUID
        var algorithm: String
        var seed: String
        /// The re-run gave exactly the recorded assignments.
        var matches: Bool
        var recorded: [RandomDraw.Assignment]
        var recomputed: [RandomDraw.Assignment]
    }

    struct DrawList: Codable, Sendable { var items: [DrawRecord] }

    func register(on router: Router<ServiceRequestContext>) {
        router.post("/v1/campaigns/{id}/draws") { request, context in
            let principal = try context.require(anyOf: Access.managers)
            let id = try context.uuid("id")
            let (body, raw) = try await request.decodeJSON(DrawRequest.self)
            var validation = Validation()
            let perInspection = body.inspectorsPerInspection ?? 2
            validation.check((1...5).contains(perInspection), "inspectorsPerInspection", "must be 1 to 5")
            if let unitIds = body.unitIds {
                validation.check(!unitIds.isEmpty, "unitIds", "must name at least one unit (or be left out)")
                validation.check(unitIds.count <= 100, "unitIds", "must name at most 100 units")
                validation.check(Set(unitIds).count == unitIds.count, "unitIds", "must not repeat a unit")
            }
            if let institutionIds = body.institutionIds {
                validation.check(!institutionIds.isEmpty, "institutionIds", "must name at least one institution (or be left out)")
                validation.check(institutionIds.count <= 500, "institutionIds", "must name at most 500 institutions")
                validation.check(Set(institutionIds).count == institutionIds.count, "institutionIds", "must not repeat an institution")
            }
            let givenSeed = body.seed.map { RandomDraw.seed($0.lowercased()) }
            if let givenSeed, givenSeed == nil { validation.add("seed", "must be 16 hexadecimal digits") }
            try validation.throwIfInvalid()
            let seed = givenSeed.flatMap { $0 } ?? UInt64.random(in: .min ... .max)
            let time = now()
            return try await IdempotentCreate(pool: pool).run(request, principal: principal, body: raw) { connection in
                guard let campaign = try await CampaignStore.lock(id, on: connection) else { throw Problem.notFound("no campaign \(id)") }
                guard campaign.status == .open else { throw Problem.conflict("the campaign is closed") }
                guard !campaign.groups.isEmpty else { throw Problem.conflict("the campaign has no working group yet") }
                let inspected = try await InspectionStore.subjectKeys(of: campaign.id, on: connection)
                var check = Validation()
                var units: [DirectoryUnit] = []
                var institutions: [RegistryFacts.Institution] = []
                switch campaign.subjectKind {
                case .unit:
                    check.check(body.institutionIds == nil, "institutionIds", "this campaign inspects member units")
                    if let unitIds = body.unitIds {
                        let known = try await DirectoryStore.units(unitIds, on: connection)
                        for (index, unitId) in unitIds.enumerated() {
                            guard let unit = known.first(where: { $0.id == unitId }) else { check.add("unitIds", "[\(index)]: no member unit \(unitId)"); continue }
                            check.check(unit.status == .active, "unitIds", "[\(index)]: \(unit.name) is no longer a member unit")
                            check.check(!inspected.contains("unit:\(unitId)"), "unitIds", "[\(index)]: the campaign inspects \(unit.name) already")
                        }
                        units = known
                    } else {
                        units = try await DirectoryStore.activeUnits(on: connection).filter { !inspected.contains("unit:\($0.id)") }
                        check.check(!units.isEmpty, "unitIds", "every member unit is assigned already")
                    }
                case .institution:
                    check.check(body.unitIds == nil, "unitIds", "this campaign inspects training institutions")
                    let key = { (id: UUID) in "institution:\(id.uuidString.lowercased())" }
                    if let ids = body.institutionIds {
                        let known = try await InstitutionReadStore.institutions(ids, on: connection)
                        for (index, id) in ids.enumerated() {
                            guard let institution = known.first(where: { $0.id == id }) else {
                                check.add("institutionIds", "[\(index)]: no training institution \(id) in the registry"); continue
                            }
                            check.check(!inspected.contains(key(id)), "institutionIds", "[\(index)]: the campaign inspects \(institution.name) already")
                        }
                        institutions = known
                    } else {
                        institutions = try await InstitutionReadStore.all(on: connection).filter { !inspected.contains(key($0.id)) }
                        check.check(!institutions.isEmpty, "institutionIds", "every institution the registry has is assigned already")
                    }
                }
                try check.throwIfInvalid()
                let subjects = units.map { RandomDraw.Subject(id: $0.id, name: $0.name, unitId: $0.id) }
                    + institutions.map { RandomDraw.Subject(id: $0.id.uuidString.lowercased(), name: $0.name, unitId: nil) }
                let inputs = RandomDraw.Inputs(
                    subjects: subjects,
                    groups: campaign.groups.map { group in
                        RandomDraw.Group(
                            id: group.id.uuidString.lowercased(), memberUnitIds: group.memberUnitIds,
                            inspectors: group.inspectors.map { RandomDraw.Member(personId: $0.personId.uuidString.lowercased(), unitId: $0.unitId) })
                    },
                    inspectorsPerInspection: perInspection
                ).canonical
                let assignments: [RandomDraw.Assignment]
                do {
                    assignments = try RandomDraw.run(inputs, seed: seed)
                } catch let impossible as RandomDraw.Impossible {
                    throw Problem.validation([.init(field: campaign.subjectKind == .unit ? "unitIds" : "institutionIds", detail: impossible.description)])
                }
                let drawId = UUID()
                var inspections: [Inspection] = []
                for assignment in assignments {
                    guard let group = campaign.groups.first(where: { $0.id.uuidString.lowercased() == assignment.groupId }) else { continue }
                    let inspectorIds = assignment.inspectorIds.compactMap(UUID.init(uuidString:))
                    if let unit = units.first(where: { $0.id == assignment.subjectId }) {
                        inspections.append(Inspection.assign(
                            id: UUID(), campaign: campaign, group: group, unit: unit, inspectorIds: inspectorIds, assignment: .draw,
                            drawId: drawId, at: time))
                    } else if let institution = institutions.first(where: { $0.id.uuidString.lowercased() == assignment.subjectId }) {
                        inspections.append(Inspection.assign(
                            id: UUID(), campaign: campaign, group: group, institution: institution, inspectorIds: inspectorIds,
                            checklist: checklist, assignment: .draw, drawId: drawId, at: time))
                    }
                }
                let record = DrawRecord(
                    id: drawId, campaignId: campaign.id, algorithm: RandomDraw.algorithm, seed: RandomDraw.text(seed),
                    seedGiven: givenSeed != nil, inputs: inputs, assignments: assignments, inspectionIds: inspections.map(\.id),
                    drawnBy: principal.subject, drawnAt: time)
                try await CampaignStore.insert(record, on: connection)
                var events = [try CampaignEvent.draw(record, campaign)]
                for inspection in inspections {
                    guard try await InspectionStore.insert(inspection, on: connection) else {
                        throw Problem.conflict("the campaign inspects \(inspection.subjectName) already")
                    }
                    events.append(try CampaignEvent.inspection(EventType.inspectionAssigned, inspection))
                }
                try await Journal.record(events, by: AuditActor(principal), at: time, on: connection)
                return (.created, try EventJSON.encoder.encode(record))
            }
        }
        router.get("/v1/campaigns/{id}/draws") { _, context in
            try context.require(anyOf: Access.campaignReaders)
            let campaign = try await pool.existing(CampaignStore.table, try context.uuid("id"))
            return JSONResponse(DrawList(items: try await CampaignStore.draws(of: campaign.id, pool)))
        }
        router.get("/v1/campaigns/{id}/draws/{drawId}") { _, context in
            try context.require(anyOf: Access.campaignReaders)
            return JSONResponse(try await draw(context))
        }
        router.post("/v1/campaigns/{id}/draws/{drawId}/verify") { _, context in
            try context.require(anyOf: Access.campaignReaders)
            let record = try await draw(context)
            let recomputed: [RandomDraw.Assignment]
            if let seed = RandomDraw.seed(record.seed), record.algorithm == RandomDraw.algorithm {
                recomputed = (try? RandomDraw.run(record.inputs, seed: seed)) ?? []
            } else {
                recomputed = []
            }
            return JSONResponse(Verification(
                drawId: record.id, algorithm: record.algorithm, seed: record.seed, matches: recomputed == record.assignments,
                recorded: record.assignments, recomputed: recomputed))
        }
    }

    private func draw(_ context: ServiceRequestContext) async throws -> DrawRecord {
        let id = try context.uuid("id")
        let drawId = try context.uuid("drawId")
        guard let record = try await CampaignStore.draw(drawId, of: id, pool) else {
            throw Problem.notFound("no draw \(drawId) of campaign \(id)")
        }
        return record
    }
}
