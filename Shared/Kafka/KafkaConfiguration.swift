/// Producer settings. `properties` are extra librdkafka keys applied last, so
/// they override the defaults below.
public struct KafkaProducerConfiguration: Sendable {
    public var brokers: String
    public var clientId: String
    public var properties: [String: String]

    public init(brokers: String, clientId: String = "shuangjian") {
        self.brokers = brokers
        self.clientId = clientId
        self.properties = [:]
    }

    /// Set explicitly rather than relying on librdkafka's defaults, which differ
    /// between versions: idempotence gives per-partition order and no duplicates
    /// on retry; it requires acks=all and at most 5 in flight.
    var librdkafkaProperties: [(String, String)] {
        var result: [(String, String)] = [
            ("bootstrap.servers", brokers),
            ("client.id", clientId),
            ("enable.idempotence", "true"),
            ("acks", "all"),
            ("linger.ms", "5"),
            ("max.in.flight.requests.per.connection", "5"),
            ("message.timeout.ms", "300000"),
            // Events are small and latency matters more than packet count.
            ("socket.nagle.disable", "true"),
        ]
        result += properties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return result
    }
}

/// Consumer settings. Offsets are committed only by `KafkaConsumer.commit`
/// after processing (at-least-once), so auto commit and auto store are off.
public struct KafkaConsumerConfiguration: Sendable {
    public var brokers: String
    public var groupId: String
    public var topics: [String]
    public var autoOffsetReset: String
    /// Short by default because the dev broker is local; production raises it via `properties`.
    public var fetchWaitMaxMs: Int
    /// Messages fetched per hop to the consumer's thread.
    public var maxBatch: Int
    public var properties: [String: String]

    public init(brokers: String, groupId: String, topics: [String]) {
        self.brokers = brokers
        self.groupId = groupId
        self.topics = topics
        self.autoOffsetReset = "earliest"
        self.fetchWaitMaxMs = 10
        self.maxBatch = 500
        self.properties = [:]
    }

    /// `session.timeout.ms` unless configured otherwise (`SJ_KAFKA_SESSION_TIMEOUT_MS`).
    public static let defaultSessionTimeoutMs = 6000

    /// The group session timeout in force: the configured one, else the default.
    public var sessionTimeoutMs: Int {
        properties["session.timeout.ms"].flatMap(Int.init) ?? Self.defaultSessionTimeoutMs
    }

    /// `group.instance.id` (static membership), if configured.
    public var groupInstanceId: String? { properties["group.instance.id"] }

    /// What librdkafka is given, in order (later keys override), for tests.
    public var librdkafkaPropertiesForTests: [(String, String)] { librdkafkaProperties }

    var librdkafkaProperties: [(String, String)] {
        var result: [(String, String)] = [
            ("bootstrap.servers", brokers),
            ("group.id", groupId),
            ("auto.offset.reset", autoOffsetReset),
            ("fetch.wait.max.ms", String(fetchWaitMaxMs)),
            ("enable.auto.commit", "false"),
            ("enable.auto.offset.store", "false"),
            ("enable.partition.eof", "false"),
            ("socket.nagle.disable", "true"),
            // A member that crashed holds its partitions until its session
            // times out (librdkafka's default: 45 s); 6 s — the broker's
            // smallest by default — lets a restarted or surviving member take
            // them over within seconds. Heartbeats come from librdkafka's own
            // thread, so a long batch never counts as a missed one.
            ("session.timeout.ms", String(KafkaConsumerConfiguration.defaultSessionTimeoutMs)),
            ("heartbeat.interval.ms", "2000"),
        ]
        result += properties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return result
    }
}
