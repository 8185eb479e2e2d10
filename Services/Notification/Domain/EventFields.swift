import Domain
import Foundation

/// The event types the notification service understands and the fields of
/// each one's `data` that rules may read (by path, list indices as `*`).
/// Rules are checked against it when loaded, so a misspelt placeholder or
/// path is an error at start, not a blank in a letter.
///
/// Mirrors docs/asyncapi.yaml, which documents the scheduling letter type
/// (`letter.issued.v1`) ahead of the scheduling service that will publish it;
/// NotificationContractTests checks the letter's fields against it.
struct EventFields: Sendable {
    /// Event type → the paths into its data that exist.
    var fields: [String: Set<String>]

    func knows(_ type: String) -> Bool { fields[type] != nil }

    func has(_ path: JSONPath, in type: String) -> Bool {
        fields[type]?.contains(path.pattern) ?? false
    }

    /// A copy that also knows `type` with `paths` (tests, new services).
    func adding(_ type: String, paths: [String]) -> EventFields {
        var copy = self
        copy.fields[type, default: []].formUnion(paths)
        return copy
    }
}

extension EventFields {
    private static func prefixed(_ prefix: String, _ paths: [String]) -> [String] {
        paths.map { prefix + "." + $0 }
    }

    static let unitPaths = [
        "id", "name", "aliases", "duties.*.id", "duties.*.text", "duties.*.topics", "duties.*.sharedKey",
        "duties.*.sharedWith", "duties.*.scope.categories", "duties.*.scope.nonProfit", "duties.*.role",
        "duties.*.partnerUnitIds", "duties.*.sourceDutyId", "memberId", "liaisonId", "contact.phone",
        "contact.email", "contact.address", "admission.reference", "admission.admittedAt", "admission.proposalId",
        "version", "updatedAt",
    ]

    /// A person's fields; contact channels are left out on purpose: templates
    /// should not copy phone numbers into messages.
    static let personPaths = ["id", "name", "unitId", "title", "roles", "version", "updatedAt"]

    static let proposalPaths = [
        "id", "unitName", "proposedUnitId", "duties.*.text", "duties.*.topics", "reason", "status",
        "proposed.by", "proposed.at", "studied.by", "studied.at", "studied.meetingReference", "studied.recommended",
        "studied.note", "decided.by", "decided.at", "decided.approved", "decided.approvalDocument", "decided.reason",
        "admittedUnitId", "version",
    ]

    static let institutionPaths = [
        "id", "creditCode", "name", "category", "nonProfit", "address", "licenceNumber", "status", "statusReason",
        "whitelisted", "blacklisted", "responsibleUnits.approving", "responsibleUnits.registering",
        "responsibleUnits.standardSetting", "responsibleUnits.supervising", "version", "registeredAt", "updatedAt",
    ]

    static let letterPaths = ["id", "kind", "number", "unitId", "subject", "replyDue"]

    /// The inspection service's warning (docs/openapi/inspection.yaml `Warning`), the fields rules read.
    static let warningPaths = [
        "id", "subject.kind", "subject.key", "subject.name", "subject.unitId", "subject.creditCode", "level", "status",
        "responsibleUnitIds", "confirmed.note", "circulated.note", "closed.note", "raisedAt", "updatedAt",
    ]

    /// A 专题研判 request (docs/asyncapi.yaml `SpecialStudyState.request`).
    static let specialStudyPaths = ["id", "warningId", "title", "level", "subject.name", "unitIds", "requestedAt", "holdBy", "reason"]

    /// The inspection service's joint inspections (docs/openapi/inspection.yaml
    /// `Campaign`, `Inspection`, `Finding`), the fields rules read.
    static let campaignPaths = [
        "id", "title", "basis", "scope", "subjectKind", "startDate", "endDate", "status", "groups.*.name",
        "groups.*.leadUnitId", "report.note", "report.totals.inspections", "report.totals.submitted",
        "report.totals.averageScore", "report.totals.findings", "report.totals.closedFindings",
        "report.totals.rectifiedOnTime", "report.totals.openFindings", "report.recipientUnitIds", "report.circulatedAt",
        "openedAt", "updatedAt",
    ]
    static let inspectionPaths = [
        "id", "campaignId", "campaignTitle", "groupId", "groupName", "subjectKind", "unitId", "institutionId", "subjectName",
        "inspectorIds", "assignment", "status", "score", "assignedAt", "submittedAt", "updatedAt",
    ]
    static let findingPaths = [
        "id", "campaignId", "campaignTitle", "inspectionId", "subjectKind", "unitId", "unitName", "responsibleUnitIds", "institutionId",
        "institutionName", "inspectorIds", "item.id", "item.text", "item.basis", "outcome", "description", "status",
        "rectification.id", "rectification.round", "rectification.title", "rectification.dueDate",
        "rectification.workingDays", "rectification.provisional", "closed.reason", "closed.note", "raisedAt", "updatedAt",
    ]

    /// Every type on `shuangjian.inspection.inspections`: a campaign (its
    /// opening also names the units told), a draw, an inspection or a finding, whole.
    static let inspectionTypes: [String: Set<String>] = {
        let campaign = prefixed("campaign", campaignPaths)
        let inspection = Set(prefixed("inspection", inspectionPaths))
        let finding = Set(prefixed("finding", findingPaths))
        return [
            EventType.campaignOpened: Set(campaign + ["noticeUnitIds"]),
            EventType.campaignGroupFormed: Set(campaign),
            EventType.campaignDrawRecorded: Set(campaign + ["draw.id", "draw.seed", "draw.algorithm"]),
            EventType.campaignReportCirculated: Set(campaign),
            EventType.inspectionAssigned: inspection, EventType.inspectionChecklistChanged: inspection,
            EventType.inspectionSubmitted: inspection,
            EventType.findingRaised: finding, EventType.findingAwaitingRecheck: finding,
            EventType.findingRecheckFailed: finding, EventType.findingClosed: finding,
        ]
    }()

    /// A sitting as the scheduling service's meeting events carry it (docs/asyncapi.yaml, `Meeting`).
    static let meetingPaths = [
        "id", "kind", "origin", "requestId", "title", "startsAt", "endsAt", "place", "chair.personId", "chair.name",
        "chair.delegatedBy", "agenda.*.id", "agenda.*.title", "agenda.*.presenterUnitId", "status",
        "attendance.*.unitId", "minutes.number", "minutes.year", "minutes.summary", "minutes.publishedAt",
        "minutes.decisions.*.text", "minutes.decisions.*.leadUnitId", "minutes.decisions.*.assistingUnitIds",
        "minutes.decisions.*.dueDate", "minutes.decisions.*.taskId", "sequence", "cancelled.by", "cancelled.at",
        "cancelled.reason", "version", "updatedAt",
    ]

    /// An ad hoc request (docs/openapi/scheduling.yaml `AdHocRequest`); a 专题研判
    /// request from the inspection service has a `title`, `unitIds` and `specialStudy`.
    static let adHocRequestPaths = [
        "id", "kind", "title", "reason", "proposedStartsAt", "proposedEndsAt", "place", "agenda", "unitIds", "status",
        "requested.by", "requested.at", "decided.approved", "decided.by", "decided.at", "decided.reason", "meetingId",
        "specialStudy.source", "specialStudy.requestId", "specialStudy.warningId", "specialStudy.level",
        "specialStudy.subjectName", "specialStudy.holdBy", "specialStudy.provisional", "specialStudy.reason", "version",
        "updatedAt",
    ]

    static let cadencePaths = ["kind", "lastHeldOn", "dueBy", "alertOn", "nextScheduledOn", "state"]

    /// The meeting events' fields (scheduling, `shuangjian.scheduling.meetings`).
    static let meetingEvents: [String: Set<String>] = {
        let state = Set(prefixed("meeting", meetingPaths) + [
            "kindTitle", "expectedUnitIds", "agendaTitles", "decisionUnitIds", "decisionCount",
        ])
        let request = Set(prefixed("request", adHocRequestPaths) + ["kindTitle"])
        return [
            EventType.meetingScheduled: state, EventType.meetingRevised: state, EventType.meetingCancelled: state,
            EventType.meetingHeld: state, EventType.minutesPublished: state,
            EventType.meetingChased: Set(prefixed("meeting", meetingPaths) + ["kindTitle", "chasedUnitIds"]),
            EventType.adHocRequested: request, EventType.adHocDecided: request,
            EventType.meetingCadenceAlerted: Set(prefixed("cadence", cadencePaths) + ["kindTitle", "cadenceRule", "alertedAt"]),
        ]
    }()

    /// A task of the scheduling service (docs/asyncapi.yaml, `Task`).
    static let taskPaths = [
        "id", "title", "detail", "origin.kind", "origin.reference", "leadUnitId", "assistingUnitIds", "dueDate", "status",
        "overdueAt", "remindersSent", "acceptedAt", "submittedAt", "completedAt", "returns.*.reason",
        "returns.*.previousDueDate", "returns.*.dueDate", "returns.*.returnedBy", "returns.*.returnedAt", "createdBy",
        "createdAt", "version", "updatedAt",
    ]

    /// What Shuangjian's services publish today (the scheduling letters and
    /// tasks, the inspection warnings and joint inspections).
    static let shuangjian: EventFields = {
        let unit = prefixed("unit", unitPaths)
        let person = prefixed("person", personPaths)
        let proposal = prefixed("proposal", proposalPaths)
        let institution = prefixed("institution", institutionPaths) + ["previousStatus"]
        return EventFields(fields: [
            EventType.unitAdmitted: Set(unit),
            EventType.unitUpdated: Set(unit),
            EventType.liaisonChanged: Set(unit + prefixed("liaison", personPaths) + ["previousLiaisonId"]),
            EventType.proposalSubmitted: Set(proposal),
            EventType.proposalStudied: Set(proposal),
            EventType.proposalDecided: Set(proposal),
            EventType.personCreated: Set(person),
            EventType.personChanged: Set(person),
            EventType.institutionRegistered: Set(institution),
            EventType.institutionStatusChanged: Set(institution),
            EventType.institutionUpdated: Set(institution),
            EventType.letterIssued: Set(prefixed("letter", letterPaths)),
            EventType.letterReplyDueSoon: Set(prefixed("letter", letterPaths)),
            EventType.letterReturned: Set(prefixed("letter", letterPaths)),
            EventType.letterEscalated: Set(prefixed("letter", letterPaths) + ["escalationLetterId"]),
            EventType.taskAssigned: Set(prefixed("task", taskPaths)),
            EventType.taskDueSoon: Set(prefixed("task", taskPaths) + ["workingDaysLeft"]),
            EventType.taskOverdue: Set(prefixed("task", taskPaths)),
            EventType.taskReturned: Set(prefixed("task", taskPaths) + ["reason"]),
        ].merging(warningTypes) { $1 }.merging(meetingEvents) { first, _ in first }.merging(inspectionTypes) { first, _ in first })
    }()

    /// Every type on `shuangjian.inspection.warnings`: the warning whole, the
    /// level before (escalated, level changed), the office's reason (level
    /// changed); a 专题研判 request also carries the request.
    static let warningTypes: [String: Set<String>] = {
        let warning = prefixed("warning", warningPaths) + ["previousLevel", "reason"]
        var fields: [String: Set<String>] = [:]
        for type in EventType.inspectionWarnings { fields[type] = Set(warning) }
        fields[EventType.specialStudyRequested] = Set(prefixed("warning", warningPaths) + prefixed("request", specialStudyPaths))
        return fields
    }()
}
