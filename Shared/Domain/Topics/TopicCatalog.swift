/// Every topic a deployment needs, with its settings: the event topics of
/// `Topic.all` and the dead-letter topic of each topic of each consumer
/// group of `ConsumerGroup.all`. `sjctl topics create` creates these and
/// `sjctl topics list` compares the cluster with them.
public struct TopicCatalog: Sendable {
    public struct Entry: Sendable, Hashable {
        public var name: String
        /// Topic-level configs (`retention.ms`, ...).
        public var configs: [String: String]
        /// The consumer group whose dead letters it holds; nil for an event topic.
        public var deadLettersOf: String?
    }

    public var entries: [Entry]

    public init(topics: [String] = Topic.all, groups: [ConsumerGroup] = ConsumerGroup.all) {
        var entries = topics.map { Entry(name: $0, configs: Topic.settings(of: $0), deadLettersOf: nil) }
        for group in groups {
            for name in group.deadLetterTopics where !entries.contains(where: { $0.name == name }) {
                entries.append(Entry(name: name, configs: Topic.settings(of: name), deadLettersOf: group.name))
            }
        }
        self.entries = entries
    }

    public var names: [String] { entries.map(\.name) }

    /// What is wrong with the declarations: a group reading a topic that is
    /// not in `Topic.all` (nothing would create it), or settings for a topic
    /// that does not exist. Empty when all is well.
    public static func problems(
        topics: [String] = Topic.all, groups: [ConsumerGroup] = ConsumerGroup.all,
        settings: [String: [String: String]] = Topic.settings
    ) -> [String] {
        var problems: [String] = []
        for group in groups {
            for topic in group.topics where !topics.contains(topic) {
                problems.append("consumer group \(group.name) reads \(topic), which is not in Topic.all")
            }
            if Set(group.topics).count != group.topics.count {
                problems.append("consumer group \(group.name) lists a topic twice")
            }
        }
        let names = groups.map(\.name)
        if Set(names).count != names.count { problems.append("two consumer groups share a name") }
        for topic in settings.keys.sorted() where !topics.contains(topic) {
            problems.append("Topic.settings names \(topic), which is not in Topic.all")
        }
        return problems
    }
}
