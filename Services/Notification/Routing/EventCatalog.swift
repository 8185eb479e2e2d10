import Foundation

/// The event types the notification service understands and the fields of
/// each one's `data` that rules may read (by path, list indices as `*`).
/// Rules are checked against it when loaded, so a misspelt placeholder or
/// path is an error at start, not a blank in a letter.
///
/// Mirrors docs/asyncapi.yaml. The scheduling letter type is listed ahead of
/// the scheduling service (its payload as agreed in the notification issue);
/// docs/asyncapi.yaml gets it when that service exists.
struct EventCatalog: Sendable {
    /// Event type → the paths into its data that exist.
    var fields: [String: Set<String>]

    func knows(_ type: String) -> Bool { fields[type] != nil }

    func has(_ path: JSONPath, in type: String) -> Bool {
        fields[type]?.contains(path.pattern) ?? false
    }

    /// A copy that also knows `type` with `paths` (tests, new services).
    func adding(_ type: String, paths: [String]) -> EventCatalog {
        var copy = self
        copy.fields[type, default: []].formUnion(paths)
        return copy
    }
}

extension EventCatalog {
    static let registryPrefix = "cn.gov.fangxian.shuangjian.registry."
    static let unitAdmitted = registryPrefix + "unit.admitted.v1"
    static let unitUpdated = registryPrefix + "unit.updated.v1"
    static let liaisonChanged = registryPrefix + "liaison.changed.v1"
    static let proposalSubmitted = registryPrefix + "proposal.submitted.v1"
    static let proposalStudied = registryPrefix + "proposal.studied.v1"
    static let proposalDecided = registryPrefix + "proposal.decided.v1"
    static let personCreated = registryPrefix + "person.created.v1"
    static let personChanged = registryPrefix + "person.changed.v1"
    static let institutionRegistered = registryPrefix + "institution.registered.v1"
    static let institutionStatusChanged = registryPrefix + "institution.status-changed.v1"
    static let institutionUpdated = registryPrefix + "institution.updated.v1"

    /// Every type the registry publishes (docs/asyncapi.yaml).
    static let registryTypes = [
        unitAdmitted, unitUpdated, liaisonChanged, proposalSubmitted, proposalStudied, proposalDecided,
        personCreated, personChanged, institutionRegistered, institutionStatusChanged, institutionUpdated,
    ]

    /// Not yet in docs/asyncapi.yaml: the scheduling service will publish it
    /// on `shuangjian.scheduling.letters`, keyed by the letter id.
    static let letterIssued = "cn.gov.fangxian.shuangjian.scheduling.letter.issued.v1"

    /// Published by this service on `shuangjian.notification.deliveries`.
    static let notificationEscalated = "cn.gov.fangxian.shuangjian.notification.notification.escalated.v1"

    private static func prefixed(_ prefix: String, _ paths: [String]) -> [String] {
        paths.map { prefix + "." + $0 }
    }

    static let unitPaths = [
        "id", "name", "aliases", "duties.*.id", "duties.*.text", "duties.*.topics", "duties.*.sharedKey",
        "duties.*.sharedWith", "memberID", "liaisonID", "contact.phone", "contact.email", "contact.address",
        "admission.reference", "admission.admittedAt", "admission.proposalID", "version", "updatedAt",
    ]

    /// A person's fields; contact channels are left out on purpose: templates
    /// should not copy phone numbers into messages.
    static let personPaths = ["id", "name", "unitID", "title", "roles", "version", "updatedAt"]

    static let proposalPaths = [
        "id", "unitName", "proposedUnitID", "duties.*.text", "duties.*.topics", "reason", "status",
        "proposed.by", "proposed.at", "studied.by", "studied.at", "studied.meetingReference", "studied.recommended",
        "studied.note", "decided.by", "decided.at", "decided.approved", "decided.approvalDocument", "decided.reason",
        "admittedUnitID", "version",
    ]

    static let institutionPaths = [
        "id", "creditCode", "name", "category", "nonProfit", "address", "licenceNumber", "status", "statusReason",
        "whitelisted", "blacklisted", "responsibleUnits.approving", "responsibleUnits.registering",
        "responsibleUnits.standardSetting", "responsibleUnits.supervising", "version", "registeredAt", "updatedAt",
    ]

    static let letterPaths = ["id", "kind", "number", "unitId", "subject", "replyDue"]

    /// What Shuangjian's services publish today, plus the scheduling letter.
    static let shuangjian: EventCatalog = {
        let unit = prefixed("unit", unitPaths)
        let person = prefixed("person", personPaths)
        let proposal = prefixed("proposal", proposalPaths)
        let institution = prefixed("institution", institutionPaths) + ["previousStatus"]
        return EventCatalog(fields: [
            unitAdmitted: Set(unit),
            unitUpdated: Set(unit),
            liaisonChanged: Set(unit + prefixed("liaison", personPaths) + ["previousLiaisonID"]),
            proposalSubmitted: Set(proposal),
            proposalStudied: Set(proposal),
            proposalDecided: Set(proposal),
            personCreated: Set(person),
            personChanged: Set(person),
            institutionRegistered: Set(institution),
            institutionStatusChanged: Set(institution),
            institutionUpdated: Set(institution),
            letterIssued: Set(prefixed("letter", letterPaths)),
        ])
    }()
}
