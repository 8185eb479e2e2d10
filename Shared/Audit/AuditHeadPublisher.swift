import EventFlow
import Foundation
import Kafka
import Logging
import Postgres
import ServiceLifecycle
import Synchronization

/// Publishes the service's chain head to `shuangjian.audit.heads` every
/// `interval` when it moved, and once more at graceful shutdown, awaiting
/// each delivery report. A head kept outside the database is what makes a
/// rewrite detectable: whoever rewrites the log and recomputes its hashes
/// cannot change what was already published (`sjctl audit verify`).
///
/// ServiceBootstrap places it after the producer and before everything that
/// appends (HTTP, consumers, the service's own services). ServiceGroup stops
/// services in reverse order, so it stops after all of those — its last
/// publication covers every entry they appended — and before the producer
/// flushes and closes.
///
/// A failed publication is logged, counted and tried again at the next
/// tick; it never stops the service. With several replicas, each publishes
/// the same head: duplicates are harmless to the verifier.
public final class AuditHeadPublisher: Service, Sendable {
    private let service: String
    private let pool: PostgresPool
    private let producer: KafkaProducer
    private let interval: Duration
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let afterTick: (@Sendable (PublishedHead?) -> Void)?
    private let wake = WakeSignal()
    private let stopping = Atomic<Bool>(false)
    /// The last head whose delivery was confirmed (nil: none yet by this process).
    private let lastPublished = Mutex<AuditChainHead?>(nil)

    /// `service`: the key of its heads and the `/shuangjian/<service>` source.
    /// `now`: the clock of `publishedAt` (injectable for tests).
    /// `afterTick`: an observation point for tests, told after every
    /// periodic tick what it published (nil: nothing, the head was unchanged
    /// or could not be published).
    public init(
        service: String, pool: PostgresPool, producer: KafkaProducer, interval: Duration, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }, afterTick: (@Sendable (PublishedHead?) -> Void)? = nil
    ) {
        self.service = service
        self.pool = pool
        self.producer = producer
        self.interval = interval
        var logger = logger
        logger[metadataKey: "component"] = "audit-head-publisher"
        self.logger = logger
        self.now = now
        self.afterTick = afterTick
    }

    public func run() async throws {
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                while !isStopping {
                    await wake.wait(timeout: interval)
                    if isStopping { break }
                    let published = await publishIfChanged()
                    afterTick?(published)
                }
            } onGracefulShutdown: {
                self.stop()
            }
        } onCancel: {
            self.stop()
        }
        // Graceful shutdown reaches this service after everything that
        // appends has stopped: this last head covers all of it.
        if !Task.isCancelled { await publishIfChanged() }
    }

    private var isStopping: Bool { stopping.load(ordering: .relaxed) }

    private func stop() {
        stopping.store(true, ordering: .relaxed)
        wake.signal()
    }

    /// Publishes the committed head unless it is the one last published (or
    /// the chain is still empty). Returns what was published, if anything.
    @discardableResult
    func publishIfChanged() async -> PublishedHead? {
        do {
            let head = try await AuditLog.head(in: pool)
            guard head.seq > 0, head != lastPublished.withLock({ $0 }) else { return nil }
            let published = PublishedHead(service: service, head: head, publishedAt: now())
            _ = try await producer.send(try published.kafkaRecord())
            lastPublished.withLock { $0 = head }
            AuditMetrics.headsPublished.increment()
            AuditMetrics.lastPublishedSeq.record(head.seq)
            logger.debug("audit head published", metadata: ["seq": "\(head.seq)", "chain_id": "\(head.chainId)"])
            return published
        } catch {
            AuditMetrics.headPublishFailures.increment()
            logger.warning("audit head not published; trying again later", metadata: ["error": "\(error)"])
            return nil
        }
    }
}
