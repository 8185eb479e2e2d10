import CRdKafka
import Logging
import Synchronization

/// An idempotent producer. `send` awaits the delivery report; librdkafka's
/// local queue being full makes `send` wait for room, never fail.
public final class KafkaProducer: Sendable {
    private let logger: Logger
    private let tracker: DeliveryTracker
    private let executor: BlockingExecutor
    private let pollThread: PollThread
    private let inlinePolling = InlinePolling()
    /// nil once closed; close drops this reference so the handle is destroyed.
    private let client: Mutex<RDClient?>

    public init(configuration: KafkaProducerConfiguration, logger: Logger) throws {
        let tracker = DeliveryTracker()
        let client = try RDClient(
            type: RD_KAFKA_PRODUCER, properties: configuration.librdkafkaProperties,
            context: ClientContext(logger: logger, deliveries: tracker))
        self.logger = logger
        self.tracker = tracker
        self.executor = BlockingExecutor(label: "kafka.producer.\(configuration.clientId)")
        self.client = Mutex(client)
        self.pollThread = PollThread(name: "kafka-producer-poll", client: client, inline: inlinePolling) {
            tracker.roomFreed()
        }
    }

    deinit {
        // Not closed: the poll thread releases the handle (no flush, like a crash).
        pollThread.requestStop()
    }

    public func send(_ record: KafkaRecord) async throws -> KafkaDeliveryReport {
        try await deliver(CollectionOfOne(record))[0].get()
    }

    /// Enqueues all records first (so they are batched together), then awaits
    /// every report; results are in the order of `records`.
    public func send(_ records: [KafkaRecord]) async -> [Result<KafkaDeliveryReport, KafkaError>] {
        await deliver(records)
    }

    public func flush(timeout: Duration) async throws {
        guard let client = client.withLock({ $0 }) else { throw Self.closedError }
        let err = await executor.run { rd_kafka_flush(client.handle, timeout.milliseconds) }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, message: "flush: \(rd_kafka_outq_len(client.handle)) messages still queued") }
    }

    /// Flushes (up to 10 s), then destroys the handle; pending sends fail. Idempotent.
    public func close() async {
        guard client.withLock({ $0 != nil }) else { return }
        // The flush job reads the client itself so that no reference outlives it here.
        let unsent = await executor.run { [self] () -> Int32 in
            guard let client = self.client.withLock({ $0 }) else { return 0 }
            rd_kafka_flush(client.handle, 10_000)
            return rd_kafka_outq_len(client.handle)
        }
        if unsent > 0 { logger.warning("kafka producer closing with \(unsent) undelivered messages") }
        // Only the first closer continues; it drops our reference, leaving the
        // poll thread's as the last: rd_kafka_destroy then runs on that thread.
        guard client.withLock({ current in defer { current = nil }; return current != nil }) else { return }
        tracker.close(with: Self.closedError)
        await pollThread.stop()
    }

    static let closedError = KafkaError.local(RD_KAFKA_RESP_ERR__DESTROY, "producer is closed")

    /// One `DeliveryBatch` for `records`: enqueues them all, then awaits the
    /// batch's single continuation. No lock or allocation per message here
    /// beyond librdkafka's own.
    private func deliver<Records: RandomAccessCollection<KafkaRecord>>(
        _ records: Records
    ) async -> [Result<KafkaDeliveryReport, KafkaError>] where Records.Index == Int {
        guard !records.isEmpty else { return [] }
        let batch = DeliveryBatch(count: records.count)
        guard await enqueue(records, into: batch) else {
            return Array(repeating: .failure(tracker.closedError ?? Self.closedError), count: records.count)
        }
        let results = await batch.wait { records[records.startIndex + $0].topic }
        tracker.unregister(batch)
        return results
    }

    /// Hands every record of `batch` to librdkafka, waiting for room while
    /// its queue is full; a record that cannot be enqueued settles at once
    /// with its error. False when closed before anything was registered.
    /// The client reference is held only here, never while awaiting reports,
    /// so that close leaves `rd_kafka_destroy` to the poll thread.
    private func enqueue<Records: RandomAccessCollection<KafkaRecord>>(
        _ records: Records, into batch: DeliveryBatch
    ) async -> Bool where Records.Index == Int {
        guard let client = client.withLock({ $0 }) else { return false }
        if tracker.register(batch) != nil { return false }
        batch.retainForLibrdkafka()
        let rk = client.handle
        // Serving inline from here on; left before every wait (see InlinePolling).
        inlinePolling.enter()
        for index in 0..<batch.count {
            var failure: KafkaError?
            while true {
                if tracker.isClosed {
                    failure = tracker.closedError ?? Self.closedError
                    break
                }
                let generation = tracker.roomGeneration
                let err = records[records.startIndex + index].withProduceArguments(opaque: batch.opaque(index), on: rk)
                if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                    // Serve ready delivery reports now and then, as a C
                    // produce loop does (the poll thread stands down
                    // meanwhile, see InlinePolling). Zero timeout: never blocks.
                    if index % Self.servingInterval == Self.servingInterval - 1 { serveReady(rk) }
                    break
                }
                if err == RD_KAFKA_RESP_ERR__QUEUE_FULL {
                    // Serve ready delivery reports here first; only when none
                    // are ready, wait for the poll thread to free room.
                    if !serveReady(rk) {
                        inlinePolling.leave()
                        await tracker.waitForRoom(after: generation)
                        inlinePolling.enter()
                    }
                    continue
                }
                failure = Self.enqueueError(err, client: rk)
                break
            }
            if let failure, batch.settle(index, partition: records[records.startIndex + index].partition ?? -1, offset: -1, error: failure) {
                Unmanaged.passUnretained(batch).release()  // librdkafka's reference: all settled
            }
        }
        // Once more on the way out: a stream of overlapping single sends can
        // keep the poll thread standing down, and never reaches the 64th message.
        serveReady(rk)
        inlinePolling.leave()
        withExtendedLifetime(client) {}
        return true
    }

    /// What `rd_kafka_produceva` would have reported for `err`.
    private static func enqueueError(_ err: rd_kafka_resp_err_t, client rk: OpaquePointer) -> KafkaError {
        if err == RD_KAFKA_RESP_ERR__FATAL, let fatal = KafkaError.fatalError(of: rk) { return fatal }
        return KafkaError(err, message: "Failed to enqueue message: \(cString(rd_kafka_err2str(err)))")
    }

    /// Messages between two inline `serveReady` calls while enqueueing.
    private static let servingInterval = 64

    /// Serves the delivery reports that are ready, without waiting; when
    /// some were, wakes senders waiting for room (they may wait on room this
    /// call freed, and the poll thread will not see those reports).
    @discardableResult
    private func serveReady(_ rk: OpaquePointer) -> Bool {
        guard rd_kafka_poll(rk, 0) > 0 else { return false }
        tracker.roomFreed()
        return true
    }
}

extension KafkaRecord {
    /// One non-blocking produce (`sj_produce` in shim.h: producev with
    /// RD_KAFKA_MSG_F_COPY); returns librdkafka's code. Headers, if any, go
    /// to librdkafka on success and are freed here otherwise.
    fileprivate func withProduceArguments(opaque: UnsafeMutableRawPointer, on rk: OpaquePointer) -> rd_kafka_resp_err_t {
        let headers = RDHeaders.make(self.headers)
        let err = topic.withCString { topic in
            withOptionalBytes(key) { key in
                withOptionalBytes(value) { value in
                    sj_produce(
                        rk, topic, partition ?? -1,  // -1: RD_KAFKA_PARTITION_UA, the partitioner picks
                        key?.baseAddress, key?.count ?? 0, value?.baseAddress, value?.count ?? 0,
                        headers?.pointer, opaque)
                }
            }
        }
        if err == RD_KAFKA_RESP_ERR_NO_ERROR { headers?.release() }  // librdkafka owns them now
        return err
    }
}

/// Scoped bytes of an optional array. A present but empty array still gets a
/// non-null pointer, so librdkafka sends an empty value rather than null.
func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
    guard let bytes else { return body(nil) }
    if bytes.isEmpty {
        return withUnsafeTemporaryAllocation(byteCount: 1, alignment: 1) { scratch in
            body(UnsafeRawBufferPointer(start: scratch.baseAddress, count: 0))
        }
    }
    return bytes.withUnsafeBytes { body($0) }
}

extension Duration {
    /// Whole milliseconds, clamped to Int32 (librdkafka timeouts).
    var milliseconds: Int32 {
        let (seconds, attoseconds) = components
        let ms = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return Int32(clamping: ms)
    }
}
