import Domain
import EventFlow
import Foundation

/// The inspection service's events on `shuangjian.inspection.warnings`
/// (docs/asyncapi.yaml), keyed by the warning's id so a warning's events stay
/// in order. Each carries the warning whole; a level change also the level before.
enum InspectionEvent {
    struct WarningState: Codable, Sendable {
        var warning: Warning
        var previousLevel: WarningLevel?
        /// `level-changed`: the office's reason.
        var reason: String?
    }

    /// A 专题研判 session the conveners are asked to hold (the scheduling
    /// service's ad hoc meeting request): what it is about, who should
    /// attend, by when, and the warning it is for.
    struct SpecialStudyRequest: Codable, Sendable {
        /// Stable per warning: the scheduling service's idempotency key.
        var id: UUID
        var warningId: UUID
        /// The session's subject line, in Chinese.
        var title: String
        var level: WarningLevel
        var subject: Subject
        /// Conveners are asked; these units attend (lead first).
        var unitIds: [String]
        var requestedAt: Date
        /// Hold it by this day (working days of the shared calendar).
        var holdBy: LocalDate
        var provisional: Bool
        /// Why: the explanation's summary.
        var reason: String
    }

    struct SpecialStudyState: Codable, Sendable {
        var request: SpecialStudyRequest
        var warning: Warning
    }

    static func warning(_ type: String, _ warning: Warning, previousLevel: WarningLevel? = nil, reason: String? = nil) throws -> OutboxEvent {
        let id = warning.id.uuidString.lowercased()
        return try OutboxEvent(
            topic: Topic.inspectionWarnings, aggregateType: "warning", aggregateId: id, type: type,
            subject: "warnings/\(id)", payload: WarningState(warning: warning, previousLevel: previousLevel, reason: reason),
            occurredAt: warning.updatedAt)
    }

    static func specialStudy(_ request: SpecialStudyRequest, _ warning: Warning) throws -> OutboxEvent {
        let id = warning.id.uuidString.lowercased()
        return try OutboxEvent(
            topic: Topic.inspectionWarnings, aggregateType: "warning", aggregateId: id, type: EventType.specialStudyRequested,
            subject: "warnings/\(id)", payload: SpecialStudyState(request: request, warning: warning),
            occurredAt: request.requestedAt)
    }
}

extension InspectionEvent.SpecialStudyRequest {
    /// The request a warning makes once it reaches `rules.specialStudy.level`.
    init(for warning: Warning, rules: RiskRules, calendar: WorkingDayCalendar, at now: Date) {
        let due = Warning.due(rules.specialStudy.withinWorkingDays, after: LocalDate(now), calendar: calendar)
        // The same id every time for one warning (name-based on the warning's id).
        var bytes = withUnsafeBytes(of: warning.id.uuid) { Array($0) }
        bytes[15] ^= 0x5A
        self.init(
            id: UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8],
                            bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15])),
            warningId: warning.id, title: "关于\(warning.subject.name)\(warning.level.chineseName)预警的专题研判",
            level: warning.level, subject: warning.subject, unitIds: warning.responsibleUnits.map(\.unitId),
            requestedAt: now, holdBy: due.value, provisional: due.isProvisional,
            reason: Warning.scoreReason(warning.explanation))
    }
}
