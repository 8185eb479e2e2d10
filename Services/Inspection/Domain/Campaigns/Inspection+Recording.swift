import Domain
import Foundation

extension Inspection {
    /// An inspector's (or the office's) record of one item, while the inspection is open.
    mutating func record(itemId: String, _ result: ItemResult) throws(CampaignConflict) {
        guard status == .assigned else { throw CampaignConflict("the inspection is submitted; its items are final") }
        guard let index = items.firstIndex(where: { $0.id == itemId }) else { throw CampaignConflict("no item \(itemId)") }
        items[index].result = result
    }

    /// Items the office adds to this inspection's checklist.
    mutating func add(_ added: [ChecklistItem]) throws(CampaignConflict) {
        guard status == .assigned else { throw CampaignConflict("the inspection is submitted; its checklist is final") }
        items += added
    }

    /// The number of office items so far (new ones are numbered after them).
    var officeItemCount: Int { items.filter { $0.source == .office }.count }

    /// Submits the result: every item must be recorded; the score is computed.
    /// Returns the items that need rectification (each becomes a finding).
    mutating func submit(by actor: String, at now: Date) throws(CampaignConflict) -> [ChecklistItem] {
        guard status == .assigned else { throw CampaignConflict("the inspection is submitted already") }
        let open = items.filter { $0.result == nil }.map(\.id)
        guard open.isEmpty else {
            throw CampaignConflict("every item must be recorded before submitting; not yet: \(open.joined(separator: ", "))")
        }
        status = .submitted
        score = InspectionScore.of(items)
        submittedBy = actor
        submittedAt = now
        return items.filter { item in
            guard let result = item.result else { return false }
            return result.needsRectification && (result.outcome == .partly || result.outcome == .notCompliant)
        }
    }
}
