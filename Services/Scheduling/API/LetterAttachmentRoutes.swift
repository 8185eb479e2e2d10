import EventFlow
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// The files of a unit's 办理情况 on a letter, as for task reports: the unit
/// uploads a file (its bytes as the body, `?fileName=`), checked by its
/// content and stored with its SHA-256, and its report then cites it by id
/// (`LetterRoutes`). Only the unit itself uploads (the report is its own
/// word); the readers and the unit itself download.
struct LetterAttachmentRoutes {
    let pool: PostgresPool
    let now: @Sendable () -> Date
    let upload: AttachmentUpload

    func register(on router: Router<ServiceRequestContext>) {
        router.post("/v1/letters/{id}/units/{unitId}/attachments") { request, context in
            let id = try context.uuid("id")
            let unitId = context.parameters.get("unitId") ?? ""
            let principal = try context.require(unit: unitId, orAnyOf: Access.noOtherRole)
            // The name first: a bad one is a 400 whichever letter it is for.
            let fileName = try AttachmentUpload.fileName(request.uri.queryParameters.get("fileName"))
            let letter = try await addressed(id, to: unitId)
            guard let track = letter.addressee(unitId), track.status.awaitsReport else {
                throw Problem.conflict("unit \(unitId) owes no report on letter \(id) (its track is \(letter.addressee(unitId)?.status.rawValue ?? "unknown"))")
            }
            let file = try await upload.read(request, fileName: fileName)
            let time = now()
            return try await IdempotentCreate(pool: pool).run(request, principal: principal, body: file.content) { connection in
                let attachment = LetterAttachment(
                    id: UUID(), letterId: id, unitId: unitId, fileName: file.fileName, kind: file.kind,
                    mediaType: file.mediaType, size: file.content.count, sha256: file.sha256,
                    uploadedBy: principal.subject, uploadedAt: time)
                try await LetterAttachmentStore.insert(attachment, content: file.content, on: connection)
                return (.created, try EventJSON.encoder.encode(attachment))
            }
        }
        router.get("/v1/letters/{id}/units/{unitId}/attachments/{attachmentId}") { _, context in
            let id = try context.uuid("id")
            let unitId = context.parameters.get("unitId") ?? ""
            try context.require(unit: unitId, orAnyOf: Access.readers)
            let attachmentId = try context.uuid("attachmentId")
            _ = try await addressed(id, to: unitId)
            guard let (attachment, content) = try await LetterAttachmentStore.content(
                attachmentId, letterId: id, unitId: unitId, pool)
            else {
                throw Problem.notFound("no file \(attachmentId) of unit \(unitId) on letter \(id)")
            }
            return AttachmentUpload.download(
                fileName: attachment.fileName, mediaType: attachment.mediaType, sha256: attachment.sha256, content: content)
        }
    }

    /// The letter, issued (or closed) and addressed to the unit; otherwise
    /// not found, so a unit learns nothing of drafts or other units' letters.
    private func addressed(_ id: UUID, to unitId: String) async throws -> Letter {
        guard let letter = try await LetterStore.find(id, pool), LetterRoutes.visibleToUnits(letter),
            letter.addressee(unitId) != nil
        else { throw Problem.notFound("no letter \(id) addressed to unit \(unitId)") }
        return letter
    }
}
