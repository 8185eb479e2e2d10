import Foundation
import Postgres
import ServiceKit

/// SQL for the files of the units' 办理情况 on letters.
enum LetterAttachmentStore {
    static func insert(_ attachment: LetterAttachment, content: Data, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            INSERT INTO letter_attachments (id, letter_id, unit_id, file_name, kind, media_type, size, sha256, content,
                                            uploaded_by, uploaded_at)
            VALUES (\(attachment.id), \(attachment.letterId), \(attachment.unitId), \(attachment.fileName),
                    \(attachment.kind.rawValue), \(attachment.mediaType), \(attachment.size), \(attachment.sha256), \(content),
                    \(attachment.uploadedBy), \(attachment.uploadedAt))
            """)
    }

    /// The unit's files on the letter among `ids` that no report cites yet, locked.
    static func lockUnreported(
        _ ids: [UUID], letterId: UUID, unitId: String, on connection: PostgresConnection
    ) async throws -> [LetterAttachment] {
        guard !ids.isEmpty else { return [] }
        let texts = ids.map { $0.uuidString.lowercased() }
        return try await connection.query("""
            SELECT \(unsafeRaw: columns) FROM letter_attachments
            WHERE letter_id = \(letterId) AND unit_id = \(unitId) AND report_id IS NULL AND id = ANY(\(texts)::uuid[])
            FOR UPDATE
            """).map(attachment)
    }

    /// The files now cited by `reportId`.
    static func markReported(_ ids: [UUID], reportId: UUID, on connection: PostgresConnection) async throws {
        guard !ids.isEmpty else { return }
        let texts = ids.map { $0.uuidString.lowercased() }
        try await connection.execute(
            "UPDATE letter_attachments SET report_id = \(reportId) WHERE id = ANY(\(texts)::uuid[])")
    }

    /// A file's description and bytes.
    static func content(
        _ id: UUID, letterId: UUID, unitId: String, _ pool: PostgresPool
    ) async throws -> (LetterAttachment, Data)? {
        try await pool.query("""
            SELECT \(unsafeRaw: columns), content FROM letter_attachments
            WHERE id = \(id) AND letter_id = \(letterId) AND unit_id = \(unitId)
            """).first.map { row in (try attachment(row), try row.decode(10, as: Data.self)) }
    }

    private static let columns =
        "id, letter_id, unit_id, file_name, kind, media_type, size, sha256, uploaded_by, uploaded_at"

    private static func attachment(_ row: PostgresRow) throws -> LetterAttachment {
        let (id, letterId, unitId, fileName, kind, mediaType, size, sha256, uploadedBy, uploadedAt) =
            try row.decode((UUID, UUID, String, String, String, String, Int, String, String, Date).self)
        return LetterAttachment(
            id: id, letterId: letterId, unitId: unitId, fileName: fileName, kind: AttachmentKind(rawValue: kind) ?? .pdf,
            mediaType: mediaType, size: size, sha256: sha256, uploadedBy: uploadedBy, uploadedAt: uploadedAt)
    }
}
