import Foundation
import Postgres
import ServiceKit

/// SQL for the evidence files of inspections' items.
enum EvidenceStore {
    static func insert(_ file: EvidenceFile, content: Data, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            INSERT INTO inspection_evidence (id, inspection_id, item_id, file_name, kind, media_type, size, sha256, content,
                                             uploaded_by, uploaded_at)
            VALUES (\(file.id), \(file.inspectionId), \(file.itemId), \(file.fileName), \(file.kind.rawValue), \(file.mediaType),
                    \(file.size), \(file.sha256), \(content), \(file.uploadedBy), \(file.uploadedAt))
            """)
    }

    /// Removes the file's row (its bytes with it).
    static func delete(_ id: UUID, of inspectionId: UUID, on connection: PostgresConnection) async throws {
        try await connection.execute("DELETE FROM inspection_evidence WHERE id = \(id) AND inspection_id = \(inspectionId)")
    }

    /// A file's description and bytes.
    static func content(_ id: UUID, of inspectionId: UUID, _ pool: PostgresPool) async throws -> (EvidenceFile, Data)? {
        try await pool.query("""
            SELECT \(unsafeRaw: columns), content FROM inspection_evidence WHERE id = \(id) AND inspection_id = \(inspectionId)
            """).first.map { row in (try file(row), try row.decode(10, as: Data.self)) }
    }

    private static let columns =
        "id, inspection_id, item_id, file_name, kind, media_type, size, sha256, uploaded_by, uploaded_at"

    private static func file(_ row: PostgresRow) throws -> EvidenceFile {
        let (id, inspectionId, itemId, fileName, kind, mediaType, size, sha256, uploadedBy, uploadedAt) =
            try row.decode((UUID, UUID, String, String, String, String, Int, String, String, Date).self)
        return EvidenceFile(
            id: id, inspectionId: inspectionId, itemId: itemId, fileName: fileName, kind: AttachmentKind(rawValue: kind) ?? .pdf,
            mediaType: mediaType, size: size, sha256: sha256, uploadedBy: uploadedBy, uploadedAt: uploadedAt)
    }
}
