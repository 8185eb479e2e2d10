import Domain
import Foundation

/// One inspection of a campaign: a working group's inspectors look at one
/// member unit (or training institution) against its checklist, record each
/// item, and submit; the result is scored (`InspectionScore`). Its events on
/// `shuangjian.inspection.inspections` carry it whole.
struct Inspection: Codable, Sendable, Equatable, VersionedAggregate {
    enum Status: String, Codable, Sendable, CaseIterable {
        /// Assigned; the inspectors record items.
        case assigned
        /// Every item recorded and the result submitted (scored); findings raised.
        case submitted
    }

    /// How the subject and inspectors were chosen.
    enum Assignment: String, Codable, Sendable, CaseIterable {
        case manual
        /// 双随机: by a recorded draw (`drawId`).
        case draw
    }

    var id: UUID
    var campaignId: UUID
    var campaignTitle: String
    var groupId: UUID
    var groupName: String
    var subjectKind: InspectionSubjectKind
    /// The inspected member unit; for an institution, nil.
    var unitId: String?
    var institutionId: UUID?
    /// The unit's or the institution's name.
    var subjectName: String
    var inspectors: [Inspector]
    /// `inspectors`' ids: what a consumer (the notification service's rules) addresses.
    var inspectorIds: [UUID]
    var assignment: Assignment
    var drawId: UUID?
    var items: [ChecklistItem]
    var status: Status
    /// 0–100 over the applicable items, once submitted (`InspectionScore`).
    var score: Double?
    var submittedBy: String?
    var submittedAt: Date?
    /// The findings the submission raised.
    var findingIds: [UUID]
    var assignedAt: Date
    var version: Int
    var updatedAt: Date

    func isInspector(_ personId: String) -> Bool {
        inspectorIds.contains { $0.uuidString.caseInsensitiveCompare(personId) == .orderedSame }
    }
}

/// One item of a checklist: what is checked, where the duty or rule is
/// written, and — once recorded — the inspector's result.
struct ChecklistItem: Codable, Sendable, Equatable {
    enum Source: String, Codable, Sendable, CaseIterable {
        /// From the unit's duties in the duty matrix (通知 二(二)).
        case duty
        /// What the notice asks of every member unit (通知 四).
        case notice
        /// A national rule for training institutions (notes/training-rules.md).
        case rule
        /// Added by the office.
        case office
    }

    /// `d<n>` (the unit's n-th duty), `n<n>`, `r<n>`, `o<n>`: stable within the inspection.
    var id: String
    var text: String
    /// The notice's paragraph (`二（二）`) or the rule's document.
    var basis: String
    var source: Source
    /// The duty the item comes from (`<unit id>/<n>`).
    var dutyId: String?
    /// An institution's item: the duty-matrix topics whose units act on a finding about it.
    var topics: [DutyTopic]? = nil
    var result: ItemResult?
    /// The files attached as evidence (`Inspection.attach`), oldest first; absent when none.
    var evidence: [EvidenceFile]? = nil
}

/// An inspector's record of one item.
struct ItemResult: Codable, Sendable, Equatable {
    enum Outcome: String, Codable, Sendable, CaseIterable {
        case compliant
        case partly
        case notCompliant = "not-compliant"
        case notApplicable = "not-applicable"
    }

    var outcome: Outcome
    var notes: String?
    /// A partly or not-compliant item the inspector says must be rectified: a finding on submission.
    var needsRectification: Bool
    /// The rectification deadline in working days (default: the campaign's).
    var rectificationWorkingDays: Int?
    var recordedBy: String
    var recordedAt: Date
}

/// The score of an inspection (documented in docs/operations.md): each
/// applicable item counts compliant 1, partly ½, not compliant 0;
/// not-applicable items are left out; the score is the mean × 100, rounded
/// to one decimal. No applicable item: no score (nil).
enum InspectionScore {
    static func of(_ items: [ChecklistItem]) -> Double? {
        let points: [Double] = items.compactMap { item in
            switch item.result?.outcome {
            case .compliant: 1
            case .partly: 0.5
            case .notCompliant: 0
            case .notApplicable, nil: nil
            }
        }
        guard !points.isEmpty else { return nil }
        return (points.reduce(0, +) / Double(points.count) * 1000).rounded() / 10
    }
}
