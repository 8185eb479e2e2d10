import CRdKafka
import Logging

/// Topic administration. Admin results are awaited on a private queue with a
/// timeout — blocking, so it runs on the admin's own serial queue.
public final class KafkaAdmin: Sendable {
    private let client: RDClient
    private let executor = BlockingExecutor(label: "kafka.admin")
    private let logger: Logger

    /// `properties` are extra librdkafka keys applied last (security: TLS, SASL).
    public init(brokers: String, properties: [String: String] = [:], logger: Logger) throws {
        client = try RDClient(
            type: RD_KAFKA_PRODUCER,
            properties: [("bootstrap.servers", brokers), ("client.id", "shuangjian-admin")]
                + properties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
            context: ClientContext(logger: logger))
        self.logger = logger
    }

    /// An admin client of `settings` (its security applies; tuning does not).
    public convenience init(settings: KafkaClientSettings, logger: Logger) throws {
        try self.init(brokers: settings.brokers, properties: settings.common, logger: logger)
    }

    deinit {
        // rd_kafka_destroy may wait for broker threads: keep it off the caller's thread.
        let client = self.client
        executor.detach { _ = client }
    }

    /// Creates the topics; one that already exists is not an error.
    public func createTopics(_ specs: [KafkaTopicSpec], timeout: Duration = .seconds(10)) async throws {
        guard !specs.isEmpty else { return }
        let client = self.client
        try await executor.run {
            defer { rd_kafka_poll(client.handle, 0) }  // serve logs/errors queued on the main queue
            do {
                try CreateTopicsRequest(specs: specs).run(on: client.handle, timeout: timeout)
            } catch var error as KafkaError {
                rd_kafka_poll(client.handle, 0)  // serve queued broker errors: the message names the last one
                error.message += client.context.lastBrokerErrorSuffix
                throw error
            }
        }
    }

    /// The topic's partition count from cluster metadata; nil if it does not exist.
    /// Asks for all topics (not just this one) so that it never triggers auto-creation.
    public func partitionCount(of topic: String) async throws -> Int32? {
        let client = self.client
        return try await executor.run { () throws -> Int32? in
            var metadata: UnsafePointer<rd_kafka_metadata>?
            let err = rd_kafka_metadata(client.handle, 1, nil, &metadata, 5000)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else { throw KafkaError(err) }
            defer { rd_kafka_metadata_destroy(metadata) }
            let topics = UnsafeBufferPointer(start: metadata.pointee.topics, count: Int(metadata.pointee.topic_cnt))
            guard let found = topics.first(where: { String(cString: $0.topic) == topic }),
                found.err == RD_KAFKA_RESP_ERR_NO_ERROR
            else { return nil }
            return found.partition_cnt
        }
    }

    /// Broker reachability, for readiness probes: a metadata request for
    /// brokers only (no topics, so it creates nothing and stays small),
    /// answered by any broker within `timeout`. Returns the number of brokers
    /// the cluster reported; throws when none answered in time.
    @discardableResult
    public func ping(timeout: Duration = .seconds(2)) async throws -> Int {
        let client = self.client
        return try await executor.run { () throws -> Int in
            var metadata: UnsafePointer<rd_kafka_metadata>?
            // all_topics=0 and no topic: librdkafka asks for the locally known
            // topics, of which an admin client has none.
            let err = rd_kafka_metadata(client.handle, 0, nil, &metadata, max(1, timeout.milliseconds))
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
                rd_kafka_poll(client.handle, 0)  // serve queued broker errors: the message names the last one
                throw KafkaError(
                    err,
                    message: "no broker answered within \(timeout): \(String(cString: rd_kafka_err2str(err)))"
                        + client.context.lastBrokerErrorSuffix)
            }
            defer { rd_kafka_metadata_destroy(metadata) }
            guard metadata.pointee.broker_cnt > 0 else {
                throw KafkaError.local(RD_KAFKA_RESP_ERR__TRANSPORT, "the cluster reported no brokers")
            }
            return Int(metadata.pointee.broker_cnt)
        }
    }
}

/// One CreateTopics call: owns its NewTopic objects, options, result queue
/// and event, and frees them all when done.
private final class CreateTopicsRequest {
    private var newTopics: [OpaquePointer?] = []

    init(specs: [KafkaTopicSpec]) throws {
        for spec in specs {
            var errstr = [CChar](repeating: 0, count: 512)
            guard let topic = rd_kafka_NewTopic_new(spec.name, spec.partitions, Int32(spec.replicationFactor), &errstr, errstr.count) else {
                throw KafkaError.local(RD_KAFKA_RESP_ERR__INVALID_ARG, "topic \(spec.name): \(cString(errstr))")
            }
            newTopics.append(topic)
            for (key, value) in spec.configs.sorted(by: { $0.key < $1.key }) {
                let err = rd_kafka_NewTopic_set_config(topic, key, value)
                guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                    throw KafkaError(err, message: "topic \(spec.name): config \(key)=\(value): \(cString(rd_kafka_err2str(err)))")
                }
            }
        }
    }

    deinit {
        for topic in newTopics { rd_kafka_NewTopic_destroy(topic) }
    }

    func run(on rk: OpaquePointer, timeout: Duration) throws {
        let queue = rd_kafka_queue_new(rk)
        defer { rd_kafka_queue_destroy(queue) }
        let options = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS)
        defer { rd_kafka_AdminOptions_destroy(options) }
        var errstr = [CChar](repeating: 0, count: 512)
        _ = rd_kafka_AdminOptions_set_request_timeout(options, timeout.milliseconds, &errstr, errstr.count)
        _ = rd_kafka_AdminOptions_set_operation_timeout(options, timeout.milliseconds, &errstr, errstr.count)

        newTopics.withUnsafeMutableBufferPointer { topics in
            rd_kafka_CreateTopics(rk, topics.baseAddress, topics.count, options, queue)
        }
        // Slack beyond the request timeout so librdkafka reports its own timeout first.
        guard let event = rd_kafka_queue_poll(queue, timeout.milliseconds &+ 2000) else {
            throw KafkaError.local(RD_KAFKA_RESP_ERR__TIMED_OUT, "CreateTopics: no result within \(timeout)")
        }
        defer { rd_kafka_event_destroy(event) }
        let err = rd_kafka_event_error(event)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(err, message: "CreateTopics: \(cString(rd_kafka_event_error_string(event)))")
        }
        guard let result = rd_kafka_event_CreateTopics_result(event) else {
            throw KafkaError.local(RD_KAFKA_RESP_ERR__BAD_MSG, "CreateTopics: unexpected event")
        }
        var count = 0
        guard let results = rd_kafka_CreateTopics_result_topics(result, &count) else { return }
        for index in 0..<count {
            let topicResult = results[index]
            let topicErr = rd_kafka_topic_result_error(topicResult)
            if topicErr == RD_KAFKA_RESP_ERR_NO_ERROR || topicErr == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS { continue }
            throw KafkaError(
                topicErr,
                message: "create \(cString(rd_kafka_topic_result_name(topicResult))): \(cString(rd_kafka_topic_result_error_string(topicResult)))")
        }
    }
}

/// A topic as cluster metadata describes it.
public struct KafkaTopicInfo: Sendable, Hashable {
    public var name: String
    public var partitions: Int32

    public init(name: String, partitions: Int32) {
        self.name = name
        self.partitions = partitions
    }
}

/// A partition's offsets: `low` is the oldest record still kept, `high` the
/// offset the next record will get (so `high - low` records, `low == high` empty).
public struct KafkaWatermarks: Sendable, Hashable {
    public var low: Int64
    public var high: Int64

    public init(low: Int64, high: Int64) {
        self.low = low
        self.high = high
    }
}

// Topic listing and watermarks (sjctl dlq). Blocking metadata/ListOffsets
// calls, each bounded by `timeout`, on the admin's own queue.
extension KafkaAdmin {
    /// Every topic in the cluster metadata (sorted by name) with its partition
    /// count; topics whose metadata carries an error are left out. Throws when
    /// no broker answers within `timeout`.
    public func listTopics(timeout: Duration = .seconds(10)) async throws -> [KafkaTopicInfo] {
        let client = self.client
        return try await executor.run { () throws -> [KafkaTopicInfo] in
            var metadata: UnsafePointer<rd_kafka_metadata>?
            let err = rd_kafka_metadata(client.handle, 1, nil, &metadata, timeout.milliseconds)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
                rd_kafka_poll(client.handle, 0)  // serve queued broker errors: the message names the last one
                throw KafkaError(err, message: "metadata: \(cString(rd_kafka_err2str(err)))" + client.context.lastBrokerErrorSuffix)
            }
            defer { rd_kafka_metadata_destroy(metadata) }
            let topics = UnsafeBufferPointer(start: metadata.pointee.topics, count: Int(metadata.pointee.topic_cnt))
            return topics.filter { $0.err == RD_KAFKA_RESP_ERR_NO_ERROR }
                .map { KafkaTopicInfo(name: String(cString: $0.topic), partitions: $0.partition_cnt) }
                .sorted { $0.name < $1.name }
        }
    }

    /// The partition's low and high watermarks, asked of its leader.
    public func watermarks(topic: String, partition: Int32, timeout: Duration = .seconds(10)) async throws -> KafkaWatermarks {
        let client = self.client
        return try await executor.run { () throws -> KafkaWatermarks in
            var low: Int64 = 0
            var high: Int64 = 0
            let err = rd_kafka_query_watermark_offsets(client.handle, topic, partition, &low, &high, timeout.milliseconds)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError(err, message: "watermarks of \(topic)[\(partition)]: \(cString(rd_kafka_err2str(err)))")
            }
            return KafkaWatermarks(low: low, high: high)
        }
    }
}
