import Domain
import Foundation

/// The campaign's circulated report (通报, 通知 三(三) with 三(二)'s 加强通报):
/// results per inspected unit, the findings and how far each is rectified,
/// as the office circulates it to every member unit. It closes the campaign
/// and travels in the campaign's state (`Campaign.report`).
struct CampaignReport: Codable, Sendable, Equatable {
    /// One inspected unit's (or institution's) result.
    struct Result: Codable, Sendable, Equatable {
        var inspectionId: UUID
        var subjectName: String
        var unitId: String?
        var institutionId: UUID?
        var groupName: String
        var status: Inspection.Status
        var score: Double?
        var findings: Int
        var closedFindings: Int
    }

    /// One finding and its rectification as the report states it.
    struct FindingLine: Codable, Sendable, Equatable {
        var findingId: UUID
        var subjectName: String
        var unitId: String
        var unitName: String
        var item: String
        var basis: String
        var outcome: ItemResult.Outcome
        var status: Finding.Status
        var round: Int?
        var dueDate: LocalDate?
        /// Rectified (the round's task completed) by its due day; nil while not rectified.
        var rectifiedOnTime: Bool?
    }

    struct Totals: Codable, Sendable, Equatable {
        var inspections: Int
        var submitted: Int
        /// The mean of the submitted inspections' scores, to one decimal.
        var averageScore: Double?
        var findings: Int
        var closedFindings: Int
        var rectifiedOnTime: Int
        var openFindings: Int
    }

    var note: String
    var results: [Result]
    var findings: [FindingLine]
    var totals: Totals
    /// Every member unit it is circulated to (the active units when circulated).
    var recipientUnitIds: [String]
    var circulatedBy: String
    var circulatedAt: Date

    static func compile(
        note: String, inspections: [Inspection], findings: [Finding], recipientUnitIds: [String], by actor: String, at now: Date
    ) -> CampaignReport {
        let results = inspections.map { inspection in
            let own = findings.filter { $0.inspectionId == inspection.id }
            return Result(
                inspectionId: inspection.id, subjectName: inspection.subjectName, unitId: inspection.unitId,
                institutionId: inspection.institutionId, groupName: inspection.groupName, status: inspection.status,
                score: inspection.score, findings: own.count, closedFindings: own.filter { $0.status == .closed }.count)
        }
        let lines = findings.map { finding in
            FindingLine(
                findingId: finding.id, subjectName: finding.institutionName ?? finding.unitName, unitId: finding.unitId,
                unitName: finding.unitName, item: finding.item.text, basis: finding.item.basis, outcome: finding.outcome,
                status: finding.status, round: finding.rectification?.round, dueDate: finding.rectification?.dueDate,
                rectifiedOnTime: finding.rectifiedOnTime)
        }
        let scores = inspections.compactMap(\.score)
        let average = scores.isEmpty ? nil : (scores.reduce(0, +) / Double(scores.count) * 10).rounded() / 10
        let totals = Totals(
            inspections: inspections.count, submitted: inspections.filter { $0.status == .submitted }.count, averageScore: average,
            findings: findings.count, closedFindings: findings.filter { $0.status == .closed }.count,
            rectifiedOnTime: findings.filter { $0.rectifiedOnTime == true }.count,
            openFindings: findings.filter { $0.status != .closed }.count)
        return CampaignReport(
            note: note, results: results, findings: lines, totals: totals, recipientUnitIds: recipientUnitIds, circulatedBy: actor,
            circulatedAt: now)
    }
}

extension Finding {
    /// Whether the unit rectified on time: the first round's task completed
    /// by its due day. A failed re-check means the first round was not
    /// enough: not on time. nil while no round is completed.
    var rectifiedOnTime: Bool? {
        let first = previousRounds.first ?? rectification
        guard let first, first.completedAt != nil else { return nil }
        return previousRounds.isEmpty && first.onTime == true
    }
}
