import Foundation
import ServiceKit

/// A stored attachment's description (its bytes are served separately).
struct Attachment: Codable, Sendable, Equatable {
    var id: UUID
    var taskId: UUID
    var fileName: String
    var kind: AttachmentKind
    var mediaType: String
    var size: Int
    /// SHA-256 of the bytes, lower-case hex.
    var sha256: String
    var uploadedBy: String
    var uploadedAt: Date
}

/// A file a unit uploaded for its 办理情况 on a letter; a report cites it
/// (as an `AttachmentReference`) once the unit submits it.
struct LetterAttachment: Codable, Sendable, Equatable {
    var id: UUID
    var letterId: UUID
    var unitId: String
    var fileName: String
    var kind: AttachmentKind
    var mediaType: String
    var size: Int
    /// SHA-256 of the bytes, lower-case hex.
    var sha256: String
    var uploadedBy: String
    var uploadedAt: Date

    /// What the letter's report records of it.
    var reference: AttachmentReference {
        AttachmentReference(id: id, fileName: fileName, mediaType: mediaType, size: size, sha256: sha256)
    }
}
