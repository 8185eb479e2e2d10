/// Per-topic Kafka settings (topic-level configs such as `retention.ms`) as
/// data, so `sjctl topics create` sets them and a new topic's needs are one
/// line here rather than a flag on a command line somewhere.
///
/// A topic not listed gets `Topic.defaultSettings`; a dead-letter topic gets
/// `Topic.deadLetterSettings`. Partition count and replication factor are
/// not here: they depend on the cluster (`sjctl topics create --partitions N
/// --replication-factor N`).
extension Topic {
    /// Topic-level config keys used below (Kafka's names).
    public enum Config {
        public static let retentionMs = "retention.ms"
        public static let cleanupPolicy = "cleanup.policy"
    }

    /// Kept forever: `retention.ms=-1`.
    public static let keptForever: [String: String] = [Config.retentionMs: "-1"]

    /// What every event topic not listed in `settings` gets: a week, as
    /// Kafka's default, but stated so a broker default cannot change it.
    public static let defaultSettings: [String: String] = [Config.retentionMs: "604800000"]

    /// Dead letters wait for an operator (`sjctl dlq replay`), however long
    /// that takes: kept forever.
    public static let deadLetterSettings: [String: String] = keptForever

    /// Topics whose settings differ from `defaultSettings`.
    public static let settings: [String: [String: String]] = [
        // Registry topics carry each aggregate's whole state and a new
        // consumer rebuilds its read model from their beginning (DESIGN.md §3).
        registryUnits: keptForever,
        registryPeople: keptForever,
        registryInstitutions: keptForever,
        // Every published audit chain head: what `sjctl audit verify` checks
        // a database against, for as long as the database's history matters.
        auditHeads: keptForever,
    ]

    /// The topic-level configs of `topic` (an event topic or a dead-letter topic).
    public static func settings(of topic: String) -> [String: String] {
        if let listed = settings[topic] { return listed }
        return isDeadLetter(topic) ? deadLetterSettings : defaultSettings
    }
}
