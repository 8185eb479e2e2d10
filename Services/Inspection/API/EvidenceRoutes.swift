import Audit
import Domain
import EventFlow
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// Evidence files (佐证材料) of an inspection's items. An inspector the
/// inspection names (or the office) uploads a file for an item (its bytes as
/// the body, `?fileName=`), checked by the rules every service shares
/// (`AttachmentUpload`), and may remove it, until the inspection is
/// submitted. Whoever may read the inspection lists and downloads them.
/// Each upload and removal is an act on the inspection: its version moves,
/// the item's `evidence` lists the files, and `inspection.checklist-changed.v1`
/// (descriptions only, never bytes) goes to the outbox and the audit log.
struct EvidenceRoutes {
    let pool: PostgresPool
    let upload: AttachmentUpload
    let now: @Sendable () -> Date

    func register(on router: Router<ServiceRequestContext>) {
        router.post("/v1/inspections/{id}/items/{itemId}/evidence") { request, context in
            let principal = try context.require(anyOf: Access.recorders)
            let id = try context.uuid("id")
            let itemId = context.parameters.get("itemId") ?? ""
            // The name first: a bad one is a 400 whichever inspection it is for.
            let fileName = try AttachmentUpload.fileName(request.uri.queryParameters.get("fileName"))
            // Refused before the body is read: a stranger's upload costs nothing.
            try Self.mayAttach(principal, try await pool.existing(InspectionStore.table, id), itemId: itemId)
            let file = try await upload.read(request, fileName: fileName)
            let time = now()
            // The name is in the query, which the key's request hash covers: a retry
            // with the same key under another name is another request (422).
            return try await IdempotentCreate(pool: pool).run(request, principal: principal, body: file.content) { connection in
                guard var inspection = try await InspectionStore.lock(id, on: connection) else { throw Problem.notFound("no inspection \(id)") }
                try Self.mayAttach(principal, inspection, itemId: itemId)
                let evidence = EvidenceFile(
                    id: UUID(), inspectionId: id, itemId: itemId, fileName: file.fileName, kind: file.kind, mediaType: file.mediaType,
                    size: file.content.count, sha256: file.sha256, uploadedBy: principal.subject, uploadedAt: time)
                do {
                    try inspection.attach(evidence)
                } catch let conflict as CampaignConflict {
                    throw Problem(status: .conflict, type: Problem.typePrefix + "conflict", detail: conflict.description, field: "itemId")
                }
                inspection.version += 1
                inspection.updatedAt = time
                try await EvidenceStore.insert(evidence, content: file.content, on: connection)
                try await InspectionStore.update(inspection, on: connection)
                try await Journal.record(
                    try CampaignEvent.inspection(EventType.inspectionChecklistChanged, inspection), by: AuditActor(principal), at: time,
                    on: connection)
                return (.created, try EventJSON.encoder.encode(evidence))
            }
        }
        router.get("/v1/inspections/{id}/evidence") { _, context in
            let principal = try context.require(anyOf: Access.inspectionReaders)
            let inspection = try await readable(try context.uuid("id"), by: principal)
            return JSONResponse(Items(items: inspection.evidence))
        }
        router.get("/v1/inspections/{id}/evidence/{evidenceId}") { _, context in
            let principal = try context.require(anyOf: Access.inspectionReaders)
            let inspection = try await readable(try context.uuid("id"), by: principal)
            let evidenceId = try context.uuid("evidenceId")
            guard let (file, content) = try await EvidenceStore.content(evidenceId, of: inspection.id, pool) else {
                throw Problem(status: .notFound, detail: "no evidence file \(evidenceId) of inspection \(inspection.id)", field: "evidenceId")
            }
            return AttachmentUpload.download(fileName: file.fileName, mediaType: file.mediaType, sha256: file.sha256, content: content)
        }
        router.delete("/v1/inspections/{id}/evidence/{evidenceId}") { _, context in
            let principal = try context.require(anyOf: Access.recorders)
            let id = try context.uuid("id")
            let evidenceId = try context.uuid("evidenceId")
            let time = now()
            return JSONResponse(try await pool.change(InspectionStore.table, id, by: AuditActor(principal), at: time) { inspection, connection in
                try Self.mayRecord(principal, inspection)
                let removed: EvidenceFile?
                do {
                    removed = try inspection.detach(evidenceId: evidenceId)
                } catch let conflict as CampaignConflict {
                    throw Problem(status: .conflict, type: Problem.typePrefix + "conflict", detail: conflict.description, field: "id")
                }
                guard removed != nil else {
                    throw Problem(status: .notFound, detail: "no evidence file \(evidenceId) of inspection \(id)", field: "evidenceId")
                }
                try await EvidenceStore.delete(evidenceId, of: id, on: connection)
                return [try CampaignEvent.inspection(EventType.inspectionChecklistChanged, inspection)]
            })
        }
    }

    /// The inspection, for whoever may read it (a `unit` token that may not: 404, as for the inspection itself).
    private func readable(_ id: UUID, by principal: Principal) async throws -> Inspection {
        let inspection = try await pool.existing(InspectionStore.table, id)
        guard InspectionRoutes.sees(principal, inspection) else { throw Problem.notFound("no inspection \(inspection.id)") }
        return inspection
    }

    /// Who records the inspection may change its evidence: the office, or an
    /// inspector it names (a `unit` token that may not see it: 404).
    static func mayRecord(_ principal: Principal, _ inspection: Inspection) throws {
        guard principal.role != .office else { return }
        guard InspectionRoutes.sees(principal, inspection) else { throw Problem.notFound("no inspection \(inspection.id)") }
        guard inspection.isInspector(principal.subject) else {
            var problem = Problem.forbidden("only the inspection's inspectors (or the office) attach or remove its evidence")
            problem.field = "id"
            throw problem
        }
    }

    /// `mayRecord`, an item the inspection has (404 naming `itemId`), and an inspection not yet submitted (409).
    static func mayAttach(_ principal: Principal, _ inspection: Inspection, itemId: String) throws {
        try mayRecord(principal, inspection)
        guard inspection.items.contains(where: { $0.id == itemId }) else {
            throw Problem(status: .notFound, detail: "no item \(itemId) in inspection \(inspection.id)", field: "itemId")
        }
        guard inspection.status == .assigned else {
            throw Problem(
                status: .conflict, type: Problem.typePrefix + "conflict", detail: "the inspection is submitted; its evidence is final",
                field: "id")
        }
    }
}
