import Domain
import EventFlow
import Foundation

/// The joint inspections' events on `shuangjian.inspection.inspections`
/// (docs/asyncapi.yaml). Each carries its aggregate whole and is keyed by
/// its id, so one campaign's, one inspection's or one finding's events stay
/// in order.
enum CampaignEvent {
    struct CampaignState: Codable, Sendable {
        var campaign: Campaign
        /// `campaign.opened.v1`: the member units told of the campaign (the active units when it opened).
        var noticeUnitIds: [String]?
    }

    /// A draw: its record and the campaign it was drawn for.
    struct DrawState: Codable, Sendable {
        var draw: DrawRecord
        var campaign: Campaign
    }

    struct InspectionState: Codable, Sendable { var inspection: Inspection }

    /// The contract with the scheduling service: `{ "finding": {…} }`.
    struct FindingState: Codable, Sendable { var finding: Finding }

    static func campaign(_ type: String, _ campaign: Campaign, noticeUnitIds: [String]? = nil) throws -> OutboxEvent {
        let id = campaign.id.uuidString.lowercased()
        return try OutboxEvent(
            topic: Topic.inspectionInspections, aggregateType: "campaign", aggregateId: id, type: type,
            subject: "campaigns/\(id)", payload: CampaignState(campaign: campaign, noticeUnitIds: noticeUnitIds),
            occurredAt: campaign.updatedAt)
    }

    static func draw(_ draw: DrawRecord, _ campaign: Campaign) throws -> OutboxEvent {
        let id = campaign.id.uuidString.lowercased()
        return try OutboxEvent(
            topic: Topic.inspectionInspections, aggregateType: "campaign", aggregateId: id, type: EventType.campaignDrawRecorded,
            subject: "campaigns/\(id)/draws/\(draw.id.uuidString.lowercased())", payload: DrawState(draw: draw, campaign: campaign),
            occurredAt: draw.drawnAt)
    }

    static func inspection(_ type: String, _ inspection: Inspection) throws -> OutboxEvent {
        let id = inspection.id.uuidString.lowercased()
        return try OutboxEvent(
            topic: Topic.inspectionInspections, aggregateType: "inspection", aggregateId: id, type: type,
            subject: "inspections/\(id)", payload: InspectionState(inspection: inspection), occurredAt: inspection.updatedAt)
    }

    static func finding(_ type: String, _ finding: Finding) throws -> OutboxEvent {
        let id = finding.id.uuidString.lowercased()
        return try OutboxEvent(
            topic: Topic.inspectionInspections, aggregateType: "finding", aggregateId: id, type: type,
            subject: "findings/\(id)", payload: FindingState(finding: finding), occurredAt: finding.updatedAt)
    }
}
