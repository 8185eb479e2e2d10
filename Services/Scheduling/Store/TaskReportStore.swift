import EventFlow
import Foundation
import Postgres
import ServiceKit

/// SQL for task reports and their attachments.
enum TaskReportStore {
    static func insert(_ report: TaskReport, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            INSERT INTO task_reports (id, task_id, kind, unit_id, state, reported_at)
            VALUES (\(report.id), \(report.taskId), \(report.kind.rawValue), \(report.unitId), \(StoredJSON(report)),
                    \(report.reportedAt))
            """)
        guard !report.attachments.isEmpty else { return }
        let ids = report.attachments.map { $0.id.uuidString.lowercased() }
        try await connection.execute("UPDATE task_attachments SET report_id = \(report.id) WHERE id = ANY(\(ids)::uuid[])")
    }

    static func reports(of taskId: UUID, _ pool: PostgresPool) async throws -> [TaskReport] {
        try await pool.query("SELECT state FROM task_reports WHERE task_id = \(taskId) ORDER BY reported_at, id").jsonValues()
    }

    // MARK: - Attachments

    static func insert(_ attachment: Attachment, unitId: String?, content: Data, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            INSERT INTO task_attachments (id, task_id, unit_id, file_name, kind, media_type, size, sha256, content,
                                          uploaded_by, uploaded_at)
            VALUES (\(attachment.id), \(attachment.taskId), \(unitId), \(attachment.fileName), \(attachment.kind.rawValue),
                    \(attachment.mediaType), \(attachment.size), \(attachment.sha256), \(content), \(attachment.uploadedBy),
                    \(attachment.uploadedAt))
            """)
    }

    /// The task's attachments among `ids` that no report cites yet, locked,
    /// with the unit that uploaded each.
    static func lockUnreported(
        _ ids: [UUID], of taskId: UUID, on connection: PostgresConnection
    ) async throws -> [(attachment: Attachment, unitId: String?)] {
        guard !ids.isEmpty else { return [] }
        let texts = ids.map { $0.uuidString.lowercased() }
        return try await connection.query("""
            SELECT \(unsafeRaw: columns), unit_id FROM task_attachments
            WHERE task_id = \(taskId) AND report_id IS NULL AND id = ANY(\(texts)::uuid[])
            FOR UPDATE
            """).map { row in (try attachment(row), try row.decode(9, as: String?.self)) }
    }

    /// An attachment's description and bytes.
    static func content(_ id: UUID, of taskId: UUID, _ pool: PostgresPool) async throws -> (Attachment, Data)? {
        try await pool.query("""
            SELECT \(unsafeRaw: columns), content FROM task_attachments WHERE id = \(id) AND task_id = \(taskId)
            """).first.map { row in (try attachment(row), try row.decode(9, as: Data.self)) }
    }

    private static let columns = "id, task_id, file_name, kind, media_type, size, sha256, uploaded_by, uploaded_at"

    private static func attachment(_ row: PostgresRow) throws -> Attachment {
        let (id, taskId, fileName, kind, mediaType, size, sha256, uploadedBy, uploadedAt) =
            try row.decode((UUID, UUID, String, String, String, Int, String, String, Date).self)
        return Attachment(
            id: id, taskId: taskId, fileName: fileName, kind: AttachmentKind(rawValue: kind) ?? .pdf, mediaType: mediaType,
            size: size, sha256: sha256, uploadedBy: uploadedBy, uploadedAt: uploadedAt)
    }
}
