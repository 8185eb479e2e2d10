import CRdKafka
import Logging
import Synchronization

/// One consumer `rd_kafka_t` (of a `KafkaConsumer` or a `KafkaPartitionReader`)
/// with its own serial queue: every call that may block runs there, and the
/// handle is taken away there when closed, so a close never races a poll.
/// Dropped without `close`, it is destroyed on that queue too, never on the
/// cooperative pool.
final class ConsumerHandle: Sendable {
    private let executor: BlockingExecutor
    /// nil once closed; read and cleared only inside `executor` jobs.
    private let client: Mutex<RDClient?>
    private let closedError: KafkaError
    private let logger: Logger

    init(_ client: RDClient, label: String, kind: String, logger: Logger) {
        rd_kafka_poll_set_consumer(client.handle)
        executor = BlockingExecutor(label: label)
        self.client = Mutex(client)
        closedError = KafkaError.local(RD_KAFKA_RESP_ERR__DESTROY, "\(kind) is closed")
        self.logger = logger
    }

    /// Runs `body` on the handle's queue; throws once closed.
    func run<T: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws -> T) async throws -> T {
        try await executor.run { [self] in
            guard let client = self.client.withLock({ $0 }) else { throw self.closedError }
            return try body(client.handle)
        }
    }

    /// Runs `body` on the handle's queue; nil once closed (a poll loop's end).
    func runIfOpen<T: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws -> T) async throws -> T? {
        try await executor.run { [self] () throws -> T? in
            guard let client = self.client.withLock({ $0 }) else { return nil }
            return try body(client.handle)
        }
    }

    /// `rd_kafka_consumer_close` (a group member leaves, so its partitions
    /// move at once) and destroy, on the queue. Idempotent.
    func close() async {
        await executor.run { [self] in
            // Taken here, on the queue: this local is the last reference,
            // so rd_kafka_destroy runs on this queue too.
            guard let client = self.client.withLock({ current in defer { current = nil }; return current }) else { return }
            let err = rd_kafka_consumer_close(client.handle)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR { self.logger.warning("kafka consumer close: \(KafkaError(err))") }
        }
    }

    deinit {
        // Not closed: destroy (which also closes) on the queue, the way close would.
        if let client = client.withLock({ current in defer { current = nil }; return current }) {
            executor.detach { _ = client }
        }
    }
}
