import Foundation
import ServiceKit

/// A file an inspector attached to one checklist item as evidence (佐证材料:
/// a photo of a notice board, a scanned register, a signed record). Its
/// description travels with the item (`ChecklistItem.evidence`, and so in the
/// inspection's events); its bytes are stored and served separately.
struct EvidenceFile: Codable, Sendable, Equatable {
    var id: UUID
    var inspectionId: UUID
    var itemId: String
    var fileName: String
    /// Told by the content (`AttachmentKind`, the rules every service shares).
    var kind: AttachmentKind
    var mediaType: String
    var size: Int
    /// SHA-256 of the bytes, lower-case hex.
    var sha256: String
    /// The token subject: an inspector's person id, or the office's.
    var uploadedBy: String
    var uploadedAt: Date
}
