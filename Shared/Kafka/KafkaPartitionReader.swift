import CRdKafka
import Logging
import Synchronization

/// A consumer that joins no group: it reads the partition it is told to, from
/// the offset it is told to (`rd_kafka_assign`), for tools that inspect or
/// replay a topic (sjctl dlq) without disturbing the topic's consumer groups.
///
/// `groupId` only names where `committed` reads and `commit` writes offsets;
/// nothing is committed unless `commit` is called (auto commit and offset
/// store are off). Blocking calls run on the reader's own serial queue.
public final class KafkaPartitionReader: Sendable {
    private let logger: Logger
    private let handle: ConsumerHandle

    /// `properties` are extra librdkafka keys, applied last.
    public init(brokers: String, groupId: String, properties: [String: String] = [:], logger: Logger) throws {
        var settings: [(String, String)] = [
            ("bootstrap.servers", brokers),
            ("group.id", groupId),
            ("client.id", "shuangjian-reader"),
            ("enable.auto.commit", "false"),
            ("enable.auto.offset.store", "false"),
            // The end of a partition is reported, so a read of a range whose
            // last records are gone (retention) still ends.
            ("enable.partition.eof", "true"),
            ("auto.offset.reset", "earliest"),
            ("fetch.wait.max.ms", "100"),
        ]
        settings += properties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let client = try RDClient(type: RD_KAFKA_CONSUMER, properties: settings, context: ClientContext(logger: logger))
        self.logger = logger
        self.handle = ConsumerHandle(client, label: "kafka.reader.\(groupId)", kind: "reader", logger: logger)
    }

    /// Reads the records of one partition with offsets in `offsets`, oldest
    /// first, handing them to `body` in batches until the last offset of the
    /// range was read, the partition's end was reached, or `body` returns
    /// false. `offsets.upperBound` is normally a high watermark taken before,
    /// so the read ends even while producers keep appending. When the first
    /// records of the range are gone (retention), the read starts at the
    /// oldest one kept. Throws `__TIMED_OUT` when neither a record nor
    /// the partition's end arrives for `idleTimeout`.
    public func read(
        topic: String, partition: Int32, offsets: Range<Int64>, idleTimeout: Duration = .seconds(10),
        _ body: ([KafkaMessage]) async throws -> Bool
    ) async throws {
        guard !offsets.isEmpty else { return }
        try await withClient { rk in
            let list = RDPartitionList(capacity: 1)
            list.add(topic: topic, partition: partition, offset: offsets.lowerBound)
            let err = rd_kafka_assign(rk, list.pointer)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError(err, message: "assign \(topic)[\(partition)]: \(cString(rd_kafka_err2str(err)))")
            }
        }
        do {
            try await readAssigned(topic: topic, partition: partition, offsets: offsets, idleTimeout: idleTimeout, body)
        } catch {
            try? await unassign()
            throw error
        }
        try await unassign()
    }

    private func readAssigned(
        topic: String, partition: Int32, offsets: Range<Int64>, idleTimeout: Duration,
        _ body: ([KafkaMessage]) async throws -> Bool
    ) async throws {
        let clock = ContinuousClock()
        var deadline = clock.now + idleTimeout
        // Each offset is handed over once, in order, even if records of an
        // earlier assignment of the same partition are still queued.
        var next = offsets.lowerBound
        var lastError: KafkaError?
        while true {
            try Task.checkCancellation()
            let batch = try await poll(topic: topic, partition: partition)
            if let error = batch.lastError { lastError = error }
            var messages: [KafkaMessage] = []
            for message in batch.messages
            where message.topic == topic && message.partition == partition && message.offset >= next {
                next = message.offset + 1
                if message.offset < offsets.upperBound { messages.append(message) }
            }
            let reachedUpperBound = next >= offsets.upperBound
            if !messages.isEmpty {
                deadline = clock.now + idleTimeout
                guard try await body(messages) else { return }
            }
            if reachedUpperBound || batch.reachedEnd { return }
            if clock.now >= deadline {
                let detail = lastError.map { " (last error: \($0.message))" } ?? ""
                throw KafkaError.local(
                    RD_KAFKA_RESP_ERR__TIMED_OUT,
                    "reading \(topic)[\(partition)] offsets \(offsets.lowerBound)..<\(offsets.upperBound): nothing arrived for \(idleTimeout)\(detail)")
            }
        }
    }

    private struct PollResult: Sendable {
        var messages: [KafkaMessage] = []
        /// The end of the partition being read was reported.
        var reachedEnd = false
        var lastError: KafkaError?
    }

    /// One hop to the reader's queue: waits up to 100 ms for the first
    /// event, then takes what is already fetched (up to 500 records).
    private func poll(topic: String, partition: Int32) async throws -> PollResult {
        try await withClient { [logger] rk in
            var result = PollResult()
            var topics = TopicNameCache()
            var timeout: Int32 = 100
            while result.messages.count < 500, let raw = rd_kafka_consumer_poll(rk, timeout) {
                timeout = 0
                defer { rd_kafka_message_destroy(raw) }
                let err = raw.pointee.err
                if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                    result.messages.append(KafkaConsumer.message(from: raw, topics: &topics))
                } else if err == RD_KAFKA_RESP_ERR__PARTITION_EOF {
                    if topics.name(of: raw.pointee.rkt) == topic && raw.pointee.partition == partition {
                        result.reachedEnd = true
                    }
                } else {
                    let error = KafkaError.resolving(err, client: rk)
                    if error.isFatal { throw error }
                    // Transient (broker down, leader moving): librdkafka retries.
                    logger.notice("kafka reader: \(error)")
                    result.lastError = error
                }
            }
            return result
        }
    }

    private func unassign() async throws {
        try await withClient { rk in
            let err = rd_kafka_assign(rk, nil)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err) }
        }
    }

    /// The offsets committed for `groupId` (the next offset to read) of these
    /// partitions; a partition without a committed offset is absent.
    public func committed(topic: String, partitions: [Int32], timeout: Duration = .seconds(10)) async throws -> [Int32: Int64] {
        guard !partitions.isEmpty else { return [:] }
        let entries = try await withClient { rk -> [CommittedOffset] in
            let list = RDPartitionList(capacity: partitions.count)
            for partition in partitions { list.add(topic: topic, partition: partition) }
            let err = rd_kafka_committed(rk, list.pointer, timeout.milliseconds)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError(err, message: "committed offsets of \(topic): \(cString(rd_kafka_err2str(err)))")
            }
            return try list.entries.map { entry in
                guard entry.err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                    throw KafkaError(entry.err, message: "committed offset of \(topic)[\(entry.partition)]: \(cString(rd_kafka_err2str(entry.err)))")
                }
                return CommittedOffset(partition: entry.partition, offset: entry.offset)
            }
        }
        // A negative offset is RD_KAFKA_OFFSET_INVALID: nothing committed.
        return entries.filter { $0.offset >= 0 }.reduce(into: [:]) { $0[$1.partition] = $1.offset }
    }

    /// Commits `offset` (the next offset to read) of one partition for
    /// `groupId` and waits for the coordinator's answer, up to `timeout`.
    public func commit(topic: String, partition: Int32, offset: Int64, timeout: Duration = .seconds(10)) async throws {
        try await withClient { rk in
            let list = RDPartitionList(capacity: 1)
            list.add(topic: topic, partition: partition, offset: offset)
            let queue = rd_kafka_queue_new(rk)
            defer { rd_kafka_queue_destroy(queue) }
            let err = rd_kafka_commit_queue(rk, list.pointer, queue, nil, nil)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError.resolving(err, client: rk) }
            guard let event = rd_kafka_queue_poll(queue, timeout.milliseconds) else {
                throw KafkaError.local(
                    RD_KAFKA_RESP_ERR__TIMED_OUT, "commit \(topic)[\(partition)]@\(offset): no answer within \(timeout)")
            }
            defer { rd_kafka_event_destroy(event) }
            let eventErr = rd_kafka_event_error(event)
            guard eventErr == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError(eventErr, message: "commit \(topic)[\(partition)]@\(offset): \(cString(rd_kafka_event_error_string(event)))")
            }
            // The event owns its list: read it, never destroy it.
            if let offsets = rd_kafka_event_topic_partition_list(event) {
                for index in 0..<Int(offsets.pointee.cnt) where offsets.pointee.elems[index].err != RD_KAFKA_RESP_ERR_NO_ERROR {
                    let failed = offsets.pointee.elems[index].err
                    throw KafkaError(failed, message: "commit \(topic)[\(partition)]@\(offset): \(cString(rd_kafka_err2str(failed)))")
                }
            }
        }
    }

    /// Closes the consumer (it holds no group membership, so this is quick)
    /// and destroys the handle on the reader's queue. Idempotent.
    public func close() async { await handle.close() }

    private func withClient<T: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws -> T) async throws -> T {
        try await handle.run(body)
    }

    private struct CommittedOffset: Sendable {
        var partition: Int32
        var offset: Int64
    }
}
