import Domain
import Foundation

/// The parts of the inspection service's events this service reads
/// (docs/asyncapi.yaml; /work contract "inspection ↔ scheduling"): its own
/// types, so the inspection service's model can grow without this one
/// changing, and strict about what it uses — a missing or mistyped field is
/// a dead letter that names it (`warning.handlingSteps[0].dueDate: missing`).
enum InspectionPayload {
    /// `warning.raised|escalated|level-changed|confirmed|circulated|closed.v1`.
    struct WarningState: Decodable, Sendable {
        var warning: Warning
    }

    struct Warning: Decodable, Sendable {
        var id: UUID
        var subject: Subject
        var level: WarningLevel
        /// Every step each level asked for, the earlier ones included.
        var handlingSteps: [HandlingStep]
    }

    struct Subject: Decodable, Sendable {
        var kind: String
        var name: String
    }

    /// A 处置 step: `<warning id>/<n>`, one unit, due by the end of `dueDate`.
    struct HandlingStep: Decodable, Sendable {
        var id: String
        var level: WarningLevel
        var title: String
        var unitId: String
        var role: DutyRole
        var dueDate: LocalDate
        var workingDays: Int
        var provisional: Bool
    }

    /// `special-study.requested.v1`: `{ "request": {...}, "warning": {...} }`.
    struct SpecialStudyState: Decodable, Sendable {
        var request: SpecialStudyRequest
        var warning: Warning
    }

    struct SpecialStudyRequest: Decodable, Sendable {
        var id: UUID
        var warningId: UUID
        var title: String
        var level: WarningLevel
        var subject: Subject
        /// The units to attend, lead first.
        var unitIds: [String]
        var requestedAt: Date
        var holdBy: LocalDate
        var provisional: Bool
        var reason: String
    }

    /// `finding.raised|recheck-failed|closed.v1` on `shuangjian.inspection.inspections`.
    struct FindingState: Decodable, Sendable {
        var finding: Finding
    }

    struct Finding: Decodable, Sendable {
        var id: UUID
        var campaignId: UUID
        var campaignTitle: String
        var subjectKind: String
        var unitId: String
        var unitName: String
        var item: Item
        var outcome: Outcome
        var description: String
        var status: String
        /// The current round; null when none is required.
        var rectification: Rectification?
        var version: Int
        var updatedAt: Date
    }

    struct Item: Decodable, Sendable {
        var id: String
        var text: String
        /// The notice's paragraph, e.g. 三（一）.
        var basis: String?
    }

    enum Outcome: String, Decodable, Sendable {
        case partly
        case notCompliant = "not-compliant"

        /// The county's words for the result.
        var chinese: String {
            switch self {
            case .partly: "部分落实"
            case .notCompliant: "未落实"
            }
        }
    }

    /// One round of 整改: `<finding id>/<round>` is the task's origin reference.
    struct Rectification: Decodable, Sendable {
        var id: String
        var round: Int
        var title: String
        var unitId: String
        var assistingUnitIds: [String]
        var dueDate: LocalDate
        var workingDays: Int
        var provisional: Bool
    }
}
