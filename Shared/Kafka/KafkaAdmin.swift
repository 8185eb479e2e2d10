import CRdKafka
import Logging

/// Topic administration. Admin results are awaited on a private queue with a
/// timeout — blocking, so it runs on the admin's own serial queue.
public final class KafkaAdmin: Sendable {
    private let client: RDClient
    private let executor = BlockingExecutor(label: "kafka.admin")
    private let logger: Logger

    public init(brokers: String, logger: Logger) throws {
        client = try RDClient(
            type: RD_KAFKA_PRODUCER,
            properties: [("bootstrap.servers", brokers), ("client.id", "shuangjian-admin")],
            context: ClientContext(logger: logger))
        self.logger = logger
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
            try CreateTopicsRequest(specs: specs).run(on: client.handle, timeout: timeout)
            rd_kafka_poll(client.handle, 0)  // serve logs/errors queued on the main queue
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
            throw KafkaError.local(RD_KAFKA_RESP_ERR__TIMED_OUT, "CreateTopics: no result")
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
