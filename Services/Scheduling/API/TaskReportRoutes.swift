import Audit
import Domain
import EventFlow
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// A task's reports and their attachments. A file is uploaded first (its
/// bytes as the request body, `?fileName=`), checked by its content and
/// stored with its SHA-256; a report then cites it by id. The lead unit
/// reports progress and completion; an assisting unit reports progress on
/// its part.
struct TaskReportRoutes {
    let pool: PostgresPool
    let now: @Sendable () -> Date
    let attachmentMaxBytes: Int

    struct NewReport: Codable, Sendable {
        var kind: TaskReportKind
        var text: String
        var attachmentIds: [UUID]?
    }

    func register(on router: Router<ServiceRequestContext>) {
        router.post("/v1/tasks/{id}/attachments") { request, context in
            let principal = try context.require(anyOf: Access.managers + [.unit])
            let fileName = try AttachmentUpload.fileName(request.uri.queryParameters.get("fileName"))
            let task = try await pool.existing(TaskStore.table, try context.uuid("id"))
            try Access.authorize(principal, toReport: .progress, on: task)
            let file = try await AttachmentUpload(maxBytes: attachmentMaxBytes).read(request, fileName: fileName)
            let time = now()
            return try await IdempotentCreate(pool: pool).run(request, principal: principal, body: file.content) { connection in
                let attachment = Attachment(
                    id: UUID(), taskId: task.id, fileName: file.fileName, kind: file.kind, mediaType: file.mediaType,
                    size: file.content.count, sha256: file.sha256, uploadedBy: principal.subject, uploadedAt: time)
                try await TaskReportStore.insert(attachment, unitId: principal.unitId, content: file.content, on: connection)
                return (.created, try EventJSON.encoder.encode(attachment))
            }
        }
        router.get("/v1/tasks/{id}/attachments/{attachmentId}") { _, context in
            let principal = try context.require(anyOf: Access.unitReaders)
            let task = try await pool.existing(TaskStore.table, try context.uuid("id"))
            try Access.authorize(principal, toSee: task)
            guard let (attachment, content) = try await TaskReportStore.content(try context.uuid("attachmentId"), of: task.id, pool) else {
                throw Problem.notFound("no attachment \(context.parameters.get("attachmentId") ?? "") of task \(task.id)")
            }
            return AttachmentUpload.download(
                fileName: attachment.fileName, mediaType: attachment.mediaType, sha256: attachment.sha256, content: content)
        }
        router.get("/v1/tasks/{id}/reports") { _, context in
            let principal = try context.require(anyOf: Access.unitReaders)
            let task = try await pool.existing(TaskStore.table, try context.uuid("id"))
            try Access.authorize(principal, toSee: task)
            return JSONResponse(Items(items: try await TaskReportStore.reports(of: task.id, pool)))
        }
        router.post("/v1/tasks/{id}/reports") { request, context in
            let principal = try context.require(anyOf: Access.units)
            let id = try context.uuid("id")
            let (body, raw) = try await request.decodeJSON(NewReport.self)
            var validation = Validation()
            let text = validation.text(body.text, "text", maxLength: 10_000)
            let attachmentIds = body.attachmentIds ?? []
            validation.check(attachmentIds.count <= 20, "attachmentIds", "must cite at most 20 files")
            validation.check(Set(attachmentIds).count == attachmentIds.count, "attachmentIds", "must not repeat a file")
            try validation.throwIfInvalid()
            let time = now()
            return try await IdempotentCreate(pool: pool).run(request, principal: principal, body: raw) { connection in
                let actor = AuditActor(principal)
                guard var task = try await TaskStore.lock(id, on: connection) else { throw Problem.notFound("no task \(id)") }
                try Access.authorize(principal, toReport: body.kind, on: task)
                let found = try await TaskReportStore.lockUnreported(attachmentIds, of: id, on: connection)
                var validation = Validation()
                for (index, attachmentId) in attachmentIds.enumerated() where !found.contains(where: { $0.attachment.id == attachmentId }) {
                    validation.add("attachmentIds[\(index)]", "no file \(attachmentId) of this task awaiting a report")
                }
                try validation.throwIfInvalid()
                switch body.kind {
                case .progress: try TaskRoutes.rule { () throws(TaskRuleError) in try task.checkProgressReport() }
                case .completion: try TaskRoutes.rule { () throws(TaskRuleError) in try task.submitCompletion(at: time) }
                }
                let report = TaskReport(
                    id: UUID(), taskId: id, kind: body.kind, unitId: principal.unitId ?? task.leadUnitId, text: text,
                    attachments: attachmentIds.compactMap { attachmentId in found.first { $0.attachment.id == attachmentId }?.attachment },
                    reportedBy: principal.subject, reportedAt: time)
                task.version += 1
                task.updatedAt = time
                try await TaskReportStore.insert(report, on: connection)
                try await TaskStore.update(task, on: connection)
                try await Journal.record(try TaskEvent.reported(task, report), by: actor, at: time, on: connection)
                return (.created, try EventJSON.encoder.encode(report))
            }
        }
    }
}
