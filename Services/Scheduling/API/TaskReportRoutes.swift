import Audit
import Crypto
import Domain
import EventFlow
import Foundation
import HTTPTypes
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
            let fileName = try Self.fileName(request)
            let task = try await pool.existing(TaskStore.table, try context.uuid("id"))
            try Access.authorize(principal, toReport: .progress, on: task)
            let content = try await body(request)
            let (kind, mediaType) = try Self.check(content, fileName: fileName)
            let time = now()
            return try await IdempotentCreate(pool: pool).run(request, principal: principal, body: content) { connection in
                let attachment = Attachment(
                    id: UUID(), taskId: task.id, fileName: fileName, kind: kind, mediaType: mediaType, size: content.count,
                    sha256: SHA256.hash(data: content).map { String(format: "%02x", $0) }.joined(),
                    uploadedBy: principal.subject, uploadedAt: time)
                try await TaskReportStore.insert(attachment, unitId: principal.unitId, content: content, on: connection)
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
            var headers = HTTPFields()
            headers[.contentType] = attachment.mediaType
            headers[.contentDisposition] = Self.contentDisposition(attachment.fileName)
            headers[.eTag] = "\"\(attachment.sha256)\""
            headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: content)))
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

    /// The body, refused with 413 above the limit.
    private func body(_ request: Request) async throws -> Data {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: attachmentMaxBytes)
        } catch {
            throw Problem(
                status: .contentTooLarge, title: "Content Too Large",
                detail: "an attachment may be at most \(attachmentMaxBytes) bytes", field: "body")
        }
        return Data(buffer: buffer)
    }

    static func fileName(_ request: Request) throws -> String {
        guard let raw = request.uri.queryParameters.get("fileName") else {
            throw Problem.badRequest("fileName is required", field: "fileName")
        }
        let name = raw.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.unicodeScalars.count <= 200,
            !name.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "/" || $0 == "\\" || $0.value == 0x7F })
        else {
            throw Problem.badRequest("fileName must be 1 to 200 characters without path separators or control characters", field: "fileName")
        }
        return name
    }

    /// The file's kind by its content (415 for any other, an empty file
    /// included), and a name that agrees with it (422 naming `fileName`).
    static func check(_ content: Data, fileName: String) throws -> (AttachmentKind, String) {
        guard let kind = AttachmentKind.detect(content) else {
            throw Problem(
                status: .unsupportedMediaType, title: "Unsupported Media Type",
                detail: "the file is not a PDF, an Office document or an image (PNG, JPEG, GIF, WebP) by its content",
                field: "body")
        }
        let ext = (fileName as NSString).pathExtension.lowercased()
        guard kind.extensions.contains(ext) else {
            throw Problem.validation([.init(
                field: "fileName", detail: "ends in .\(ext) but the content is \(kind.rawValue) (.\(kind.extensions.joined(separator: ", .")))")])
        }
        return (kind, kind.mediaType(fileName: fileName))
    }

    /// `attachment; filename="…"; filename*=UTF-8''…` so Chinese names survive.
    static func contentDisposition(_ fileName: String) -> String {
        let ascii = String(fileName.unicodeScalars.map { $0.isASCII && $0 != "\"" ? Character($0) : "_" })
        // RFC 5987 attr-char: ASCII letters and digits and a few marks; all else percent-encoded.
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        let encoded = fileName.addingPercentEncoding(withAllowedCharacters: allowed) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }
}
