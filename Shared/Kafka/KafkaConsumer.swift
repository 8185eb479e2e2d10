import CRdKafka
import Logging
import Synchronization

/// A group consumer, pull-based: iterating polls librdkafka (on this
/// consumer's own serial queue, up to `maxBatch` messages per hop) only when
/// asked. Offsets are committed only through `commit` (at-least-once).
///
/// One iterator at a time is expected; a message's offset is committed as
/// max(offset)+1 per partition after the caller processed it.
public final class KafkaConsumer: AsyncSequence, Sendable {
    public typealias Element = KafkaMessage

    private let logger: Logger
    private let maxBatch: Int
    private let handle: ConsumerHandle

    public init(configuration: KafkaConsumerConfiguration, logger: Logger) throws {
        let client = try RDClient(
            type: RD_KAFKA_CONSUMER, properties: configuration.librdkafkaProperties,
            context: ClientContext(logger: logger))
        // One queue for messages, rebalances and errors, served by consumer_poll.
        let handle = ConsumerHandle(client, label: "kafka.consumer.\(configuration.groupId)", kind: "consumer", logger: logger)
        let topics = RDPartitionList(capacity: configuration.topics.count)
        for topic in configuration.topics { topics.add(topic: topic, partition: -1) }  // RD_KAFKA_PARTITION_UA
        let err = rd_kafka_subscribe(client.handle, topics.pointer)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(err, message: "subscribe \(configuration.topics): \(cString(rd_kafka_err2str(err)))")
        }
        self.logger = logger
        self.maxBatch = Swift.max(1, configuration.maxBatch)
        self.handle = handle
    }

    /// Iterating takes from the consumer's buffer of polled messages, so an
    /// iterator that is dropped (a `for` loop left with `break`) loses nothing:
    /// the next iterator continues with the message after the last one returned.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let consumer: KafkaConsumer

        /// nil once the consumer is closed; throws fatal errors and cancellation.
        public mutating func next() async throws -> KafkaMessage? {
            while true {
                if let message = consumer.takeBuffered() { return message }
                try Task.checkCancellation()
                guard var batch = try await consumer.pollBatch() else { return nil }
                batch.reverseByMoving()
                consumer.buffer.withLock { $0 = batch }
            }
        }
    }

    /// The rest of the last polled batch, last message first: taking the
    /// next one is a `popLast`, which moves it out, where reading it by
    /// index would copy it (retaining its arrays) and release it later.
    private let buffer = Mutex<[KafkaMessage]>([])

    private func takeBuffered() -> KafkaMessage? {
        buffer.withLock { $0.popLast() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(consumer: self) }

    /// The next batch, for callers that process (and commit) many messages at
    /// once: what is left of the buffered batch, else one poll hop. Empty when
    /// nothing arrived within ~100 ms; nil once the consumer is closed.
    public func nextBatch() async throws -> [KafkaMessage]? {
        var rest = buffer.withLock { buffer -> [KafkaMessage] in
            defer { buffer = [] }
            return buffer
        }
        rest.reverseByMoving()
        if !rest.isEmpty { return rest }
        try Task.checkCancellation()
        return try await pollBatch()
    }

    /// One hop to the consumer's queue: waits up to 100 ms for the first
    /// message, then takes what is already fetched, up to `maxBatch`.
    /// nil = closed; empty = nothing yet.
    func pollBatch() async throws -> [KafkaMessage]? {
        try await handle.runIfOpen { [self] rk in
            var messages: [KafkaMessage] = []
            var topics = TopicNameCache()
            var timeout: Int32 = 100
            while messages.count < maxBatch, let raw = rd_kafka_consumer_poll(rk, timeout) {
                timeout = 0
                defer { rd_kafka_message_destroy(raw) }
                if raw.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                    messages.append(Self.message(from: raw, topics: &topics))
                    continue
                }
                let error = KafkaError.resolving(raw.pointee.err, client: rk)
                if error.isFatal { throw error }
                // Transient (broker down, unknown topic yet, EOF): librdkafka retries.
                logger.notice("kafka consumer: \(error)")
            }
            return messages
        }
    }

    static func message(
        from raw: UnsafeMutablePointer<rd_kafka_message_t>, topics: inout TopicNameCache
    ) -> KafkaMessage {
        let m = raw.pointee
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(raw, &timestampType)
        return KafkaMessage(
            topic: topics.name(of: m.rkt),
            partition: m.partition, offset: m.offset,
            key: m.key.map { Array(UnsafeRawBufferPointer(start: $0, count: m.key_len)) },
            value: m.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: m.len)) },
            headers: RDHeaders.read(from: raw),
            timestamp: timestamp >= 0 ? timestamp : nil)
    }

    public func commit(_ message: KafkaMessage) async throws {
        try await commit([message])
    }

    /// Synchronous commit of max(offset)+1 per topic-partition.
    public func commit(_ messages: [KafkaMessage]) async throws {
        var next: [PartitionKey: Int64] = [:]
        for message in messages {
            let key = PartitionKey(topic: message.topic, partition: message.partition)
            next[key] = Swift.max(next[key] ?? 0, message.offset + 1)
        }
        guard !next.isEmpty else { return }
        let offsets = next
        try await withClient { rk in
            let list = RDPartitionList(capacity: offsets.count)
            for (key, offset) in offsets { list.add(topic: key.topic, partition: key.partition, offset: offset) }
            let err = rd_kafka_commit(rk, list.pointer, 0)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError.resolving(err, client: rk) }
            if let failed = list.entries.first(where: { $0.err != RD_KAFKA_RESP_ERR_NO_ERROR }) {
                throw KafkaError(failed.err, message: "commit \(failed.topic)[\(failed.partition)]: \(cString(rd_kafka_err2str(failed.err)))")
            }
        }
    }

    public func pause() async throws {
        try await withClient { rk in
            let list = try Self.assignmentList(rk)
            let err = rd_kafka_pause_partitions(rk, list.pointer)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err) }
        }
    }

    /// Pauses only `partitions` (of the assignment); the others keep fetching.
    public func pause(partitions: [(topic: String, partition: Int32)]) async throws {
        try await pauseOrResume(partitions, pause: true)
    }

    /// Resumes only `partitions`. (librdkafka 2.0.2 was seen to deliver again
    /// what a partition that was not paused had already delivered, when it
    /// was "resumed" too: resume only what was paused.)
    public func resume(partitions: [(topic: String, partition: Int32)]) async throws {
        try await pauseOrResume(partitions, pause: false)
    }

    private func pauseOrResume(_ partitions: [(topic: String, partition: Int32)], pause: Bool) async throws {
        let keys = partitions.map { PartitionKey(topic: $0.topic, partition: $0.partition) }
        try await withClient { rk in
            let list = RDPartitionList(capacity: keys.count)
            for key in keys { list.add(topic: key.topic, partition: key.partition) }
            let err = pause ? rd_kafka_pause_partitions(rk, list.pointer) : rd_kafka_resume_partitions(rk, list.pointer)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err) }
        }
    }

    public func resume() async throws {
        try await withClient { rk in
            let list = try Self.assignmentList(rk)
            let err = rd_kafka_resume_partitions(rk, list.pointer)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err) }
        }
    }

    public func assignment() async throws -> [(topic: String, partition: Int32)] {
        let entries = try await withClient { rk in try Self.assignmentList(rk).entries.map { PartitionKey(topic: $0.topic, partition: $0.partition) } }
        return entries.map { ($0.topic, $0.partition) }
    }

    /// This member's id in its group, as the coordinator gave it; empty
    /// before the member joined.
    public func memberId() async throws -> String {
        try await withClient { rk in
            guard let id = rd_kafka_memberid(rk) else { return "" }
            defer { rd_kafka_mem_free(rk, id) }
            return String(cString: id)
        }
    }

    /// Per assigned partition: the high watermark as last seen by this
    /// consumer's fetches and its position (the next offset it will fetch).
    /// Both are librdkafka's local state — no broker round trip — so reading
    /// them often never stalls polling. -1 where not known yet.
    public func localOffsets() async throws -> [(topic: String, partition: Int32, high: Int64, position: Int64)] {
        let entries = try await withClient { rk -> [LocalOffsets] in
            let list = try Self.assignmentList(rk)
            _ = rd_kafka_position(rk, list.pointer)
            return list.entries.map { entry in
                var low: Int64 = -1
                var high: Int64 = -1
                if rd_kafka_get_watermark_offsets(rk, entry.topic, entry.partition, &low, &high) != RD_KAFKA_RESP_ERR_NO_ERROR {
                    high = -1
                }
                return LocalOffsets(topic: entry.topic, partition: entry.partition, high: high, position: entry.offset)
            }
        }
        return entries.map { ($0.topic, $0.partition, $0.high, $0.position) }
    }

    /// High watermark − committed offset per assigned partition (low watermark
    /// when nothing is committed yet).
    public func lag() async throws -> [(topic: String, partition: Int32, lag: Int64)] {
        let lags = try await withClient { rk -> [PartitionLag] in
            let list = try Self.assignmentList(rk)
            let err = rd_kafka_committed(rk, list.pointer, 5000)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError.resolving(err, client: rk) }
            return try list.entries.map { entry in
                var low: Int64 = 0
                var high: Int64 = 0
                let err = rd_kafka_query_watermark_offsets(rk, entry.topic, entry.partition, &low, &high, 5000)
                guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err) }
                let committed = entry.offset >= 0 ? entry.offset : low
                return PartitionLag(topic: entry.topic, partition: entry.partition, lag: Swift.max(0, high - committed))
            }
        }
        return lags.map { ($0.topic, $0.partition, $0.lag) }
    }

    /// Leaves the group (`rd_kafka_consumer_close`, so partitions move to the
    /// other members at once) and destroys the handle. Idempotent.
    public func close() async { await handle.close() }

    private func withClient<T: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws -> T) async throws -> T {
        try await handle.run(body)
    }

    private static func assignmentList(_ rk: OpaquePointer) throws -> RDPartitionList {
        var pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        let err = rd_kafka_assignment(rk, &pointer)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let pointer else { throw KafkaError(err) }
        return RDPartitionList(adopting: pointer)
    }

}

extension Array where Element == KafkaMessage {
    /// In place, moving each message. `Array.reverse()` swaps through copies
    /// (retaining and releasing a message's topic, key, value and headers);
    /// the buffer pointer's `swapAt` moves.
    mutating func reverseByMoving() {
        withUnsafeMutableBufferPointer { $0.reverse() }
    }
}

/// A batch's messages nearly always share a few topics: reuse the Swift
/// string for each topic handle instead of allocating one per message.
struct TopicNameCache {
    private var last: (handle: OpaquePointer, name: String)?

    mutating func name(of handle: OpaquePointer?) -> String {
        guard let handle else { return "" }
        if let last, last.handle == handle { return last.name }
        let name = String(cString: rd_kafka_topic_name(handle))
        last = (handle, name)
        return name
    }
}

struct PartitionKey: Hashable, Sendable {
    var topic: String
    var partition: Int32
}

struct LocalOffsets: Sendable {
    var topic: String
    var partition: Int32
    var high: Int64
    var position: Int64
}

struct PartitionLag: Sendable {
    var topic: String
    var partition: Int32
    var lag: Int64
}

/// `rd_kafka_err2str` and friends return static strings.
func cString(_ pointer: UnsafePointer<CChar>?) -> String {
    pointer.map { String(cString: $0) } ?? ""
}
