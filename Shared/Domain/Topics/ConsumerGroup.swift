/// The consumer groups of the services and the topics each reads, declared
/// once: the services pass these to `ServiceAssembly.consume(_:handlers:)`,
/// and `sjctl topics create` creates each group's dead-letter topics
/// (`<topic>.<group>.dlq`) from the same list, because where topic
/// auto-creation is off (production) a dead-letter topic must exist before
/// a consumer needs it.
///
/// A new group: add a static constant here and to `all`.
public struct ConsumerGroup: Sendable, Hashable {
    /// The Kafka group id, also the inbox's `consumer` and the middle of the
    /// group's dead-letter topics.
    public var name: String
    /// What the group reads, each one of `Topic.all`.
    public var topics: [String]

    public init(name: String, topics: [String]) {
        self.name = name
        self.topics = topics
    }

    /// The dead-letter topic of each topic the group reads.
    public var deadLetterTopics: [String] {
        topics.map { Topic.deadLetter(of: $0, group: name) }
    }
}

extension ConsumerGroup {
    /// The notification service's directory and routing: the registry topics
    /// (read from the beginning on first start, which rebuilds the directory),
    /// meetings (会议通知, 催报, 会议纪要, ad hoc requests, the cadence watch),
    /// supervision letters, warnings and joint inspections (campaign notices,
    /// assignments, findings, re-checks, circulated reports).
    public static let notification = ConsumerGroup(
        name: "notification",
        topics: [
            Topic.registryUnits, Topic.registryPeople, Topic.registryInstitutions,
            Topic.schedulingMeetings, Topic.schedulingTasks, Topic.schedulingLetters, Topic.inspectionWarnings,
            Topic.inspectionInspections,
        ])

    /// The inspection service: county signals (its inbound topic), the
    /// registry's units and people (Shared/Directory) and institutions (its
    /// read model of who answers for what, rebuilt from the topics' beginning
    /// on first start), and the scheduling service's tasks (a finding's
    /// rectification task taken on and completed).
    public static let inspection = ConsumerGroup(
        name: "inspection",
        topics: [Topic.countyEvents, Topic.registryUnits, Topic.registryPeople, Topic.registryInstitutions, Topic.schedulingTasks])

    /// The scheduling service: its directory (the registry's units and
    /// people; an admitted unit also gets its 工作方案 task) and the
    /// notification service's acknowledgements (a liaison's 签收 of a letter's
    /// notification is the unit's receipt); and the inspection service's
    /// warnings (handling steps become tasks, a 专题研判 request an ad hoc
    /// meeting request) and inspections (a finding's rectification becomes
    /// the unit's task).
    public static let scheduling = ConsumerGroup(
        name: "scheduling",
        topics: [
            Topic.registryUnits, Topic.registryPeople, Topic.notificationDeliveries, Topic.inspectionWarnings,
            Topic.inspectionInspections,
        ])

    /// Every consumer group a service runs.
    public static let all: [ConsumerGroup] = [notification, scheduling, inspection]
}
