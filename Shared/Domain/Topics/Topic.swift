/// The Kafka topics of ../shared/DESIGN.md §3: one per aggregate type, keyed by
/// aggregate id, plus the inbound topic that county systems publish onto.
public enum Topic {
    public static let registryUnits = "shuangjian.registry.units"
    public static let registryPeople = "shuangjian.registry.people"
    public static let registryInstitutions = "shuangjian.registry.institutions"
    public static let schedulingMeetings = "shuangjian.scheduling.meetings"
    public static let schedulingTasks = "shuangjian.scheduling.tasks"
    public static let schedulingLetters = "shuangjian.scheduling.letters"
    public static let inspectionInspections = "shuangjian.inspection.inspections"
    public static let inspectionWarnings = "shuangjian.inspection.warnings"
    public static let notificationDeliveries = "shuangjian.notification.deliveries"
    public static let countyEvents = "county.events"
    /// Every service's audit chain heads (key = service name), so a rewritten
    /// database is caught (docs/architecture.md, "Audit trail"). Production
    /// creates it with retention.ms=-1 and cleanup.policy=delete: kept forever.
    public static let auditHeads = "shuangjian.audit.heads"

    /// Every topic the system owns or reads, in the order of DESIGN.md §3,
    /// then the audit heads.
    public static let all: [String] = [
        registryUnits, registryPeople, registryInstitutions,
        schedulingMeetings, schedulingTasks, schedulingLetters,
        inspectionInspections, inspectionWarnings,
        notificationDeliveries, countyEvents, auditHeads,
    ]

    /// The dead-letter topic of `topic` for one consumer group: `<topic>.<group>.dlq`.
    public static func deadLetter(of topic: String, group: String) -> String {
        "\(topic).\(group).dlq"
    }

    /// Whether `name` is a dead-letter topic of one of `all` (so the dev broker
    /// can create it on demand with the same partition count as its source).
    public static func isDeadLetter(_ name: String) -> Bool {
        name.hasSuffix(".dlq") && all.contains { name.hasPrefix($0 + ".") }
    }
}
