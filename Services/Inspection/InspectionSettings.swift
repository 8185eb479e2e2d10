import Domain
import Foundation
import ServiceKit

/// What the inspection service reads besides the common configuration: the
/// scoring rules (Rules/scoring.json) and the working-day calendar. Read
/// before anything touches the database, so bad rules stop the service with
/// exit 78, every problem named.
struct InspectionSettings: Sendable {
    var rules: RiskRules
    var calendar: WorkingDayCalendar
    /// What institution inspections check (Rules/institution-checklist.json).
    var institutionChecklist: InstitutionChecklist
    /// `SJ_INSPECTION_EVIDENCE_MAX_BYTES`: the largest evidence file an
    /// inspector may attach to an item (default 20 MiB, as the scheduling
    /// service's attachments).
    var evidenceMaxBytes: Int

    static func read(_ reader: inout EnvironmentReader) -> InspectionSettings? {
        let rules = reader.attempt { try RiskRules.bundled() }
        let checklist = reader.attempt { try InstitutionChecklist.bundled() }
        let evidenceMaxBytes = reader.integer(
            "SJ_INSPECTION_EVIDENCE_MAX_BYTES", default: AttachmentUpload.defaultMaxBytes, in: AttachmentUpload.maxBytesRange)
        guard let rules, let checklist, reader.problems.isEmpty else { return nil }
        return InspectionSettings(
            rules: rules, calendar: .china, institutionChecklist: checklist, evidenceMaxBytes: evidenceMaxBytes)
    }
}
