import Foundation

extension Inspection {
    /// An item carries at most this many files: enough for a photo series
    /// and its records, and it keeps the inspection's state (carried whole
    /// in each event) small.
    static let maxEvidencePerItem = 20

    /// A file attached to an item, while the inspection is open: once
    /// submitted, the record (and what it rests on) is final.
    mutating func attach(_ file: EvidenceFile) throws(CampaignConflict) {
        guard status == .assigned else { throw CampaignConflict("the inspection is submitted; its evidence is final") }
        guard let index = items.firstIndex(where: { $0.id == file.itemId }) else { throw CampaignConflict("no item \(file.itemId)") }
        let files = items[index].evidence ?? []
        guard files.count < Self.maxEvidencePerItem else {
            throw CampaignConflict("item \(file.itemId) carries \(Self.maxEvidencePerItem) files already; remove one first")
        }
        items[index].evidence = files + [file]
    }

    /// Removes a file while the inspection is open; the removed file's
    /// description (nil when the inspection has no such file).
    mutating func detach(evidenceId: UUID) throws(CampaignConflict) -> EvidenceFile? {
        guard let index = items.firstIndex(where: { $0.evidence?.contains { $0.id == evidenceId } ?? false }),
            let file = items[index].evidence?.first(where: { $0.id == evidenceId })
        else { return nil }
        guard status == .assigned else { throw CampaignConflict("the inspection is submitted; its evidence is final") }
        let rest = (items[index].evidence ?? []).filter { $0.id != evidenceId }
        // No files: the member is absent, as every optional member without a value.
        items[index].evidence = rest.isEmpty ? nil : rest
        return file
    }

    /// Every file of every item, in checklist order.
    var evidence: [EvidenceFile] { items.flatMap { $0.evidence ?? [] } }
}
