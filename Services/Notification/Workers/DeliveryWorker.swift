import ChannelSecrets
import EventFlow
import Foundation
import Logging
import Postgres
import ServiceLifecycle
import Synchronization

/// Sends due deliveries (DESIGN.md §4, §6). The timers are rows: a delivery is
/// due when `next_attempt_at` has passed, and a claim leases it for a minute
/// (`FOR UPDATE SKIP LOCKED`), so several replicas share the work and a
/// crashed one's deliveries are taken over when the lease runs out — and sent
/// again with the same idempotency key, which is the contract with receivers.
///
/// Sends run concurrently, at most `maxInFlight`, each bounded by the send
/// timeout; the loop claims more once a quarter of the slots is free (or
/// nothing is in flight), so one slow or failing endpoint only ever holds
/// its own slots and a burst is claimed in batches. A slot is held until its
/// outcome is recorded (`DeliveryRecorder`, which writes outcomes in shared
/// transactions).
///
/// Wakes on NOTIFY `notification_deliveries` (a delivery was created or
/// re-queued), when a send finishes while work waits for a slot, or every
/// `pollInterval`. On graceful
/// shutdown it stops claiming and cancels the sends in flight; their
/// deliveries are handed back unsent (no attempt counted), due at once, so
/// the next worker sends them — with the same idempotency key, since a
/// cancelled request may have reached its endpoint.
final class DeliveryWorker: Service, Sendable {
    static let notifyChannel = "notification_deliveries"

    private let pool: PostgresPool
    private let secrets: SecretBox
    private let senders: ChannelSenders
    private let configuration: DeliveryWorkerConfiguration
    private let now: @Sendable () -> Date
    private let logger: Logger
    private let claimer: DeliveryClaimer
    private let recorder: DeliveryRecorder
    /// Signalled by NOTIFY, by a finished send (a slot is free) and by shutdown.
    private let wake = WakeSignal()
    private let stopping = ShutdownLatch()
    private let inFlight = Atomic<Int>(0)
    /// Whether a slot coming free should wake the loop: only while work may be
    /// waiting for one (the last claim filled every free slot, or was put off
    /// for want of slots). Otherwise a finished send would start a claim that
    /// finds nothing — a transaction per send at a steady rate. New deliveries
    /// wake the loop by NOTIFY, retries come due on the poll.
    private let slotsWanted = Atomic<Bool>(false)

    /// `senders` share one HTTP client (`OutboundHTTPClient`), owned and shut
    /// down by whoever made it; `now` is the clock every due/lease/backoff
    /// time is computed from (tests move it instead of sleeping).
    init(
        pool: PostgresPool, secrets: SecretBox, senders: ChannelSenders,
        configuration: DeliveryWorkerConfiguration = .init(), now: @escaping @Sendable () -> Date = Date.init,
        logger: Logger
    ) {
        self.pool = pool
        self.secrets = secrets
        self.configuration = configuration
        self.senders = senders
        self.now = now
        var logger = logger
        logger[metadataKey: "component"] = "delivery-worker"
        self.logger = logger
        claimer = DeliveryClaimer(pool: pool, configuration: configuration)
        recorder = DeliveryRecorder(pool: pool, retry: configuration.retry)
    }

    func run() async throws {
        await wake.run(
            wokenByNotifyOn: Self.notifyChannel, database: pool.configuration, logger: logger,
            onShutdown: { self.stopping.fire() }
        ) { await self.loop() }
    }

    private var isStopping: Bool { stopping.isFired || Task.isCancelled }

    /// Claims wait until this many slots are free (unless nothing is in
    /// flight), so a burst is claimed in batches rather than one by one.
    private var minimumClaim: Int { max(1, configuration.maxInFlight / 4) }

    /// Claims into free slots until stopped; the task group outlives the loop
    /// only as long as the sends in flight.
    private func loop() async {
        var failures = 0
        var lastPrune = ContinuousClock.now - .seconds(3600)
        await withDiscardingTaskGroup { group in
            while !isStopping {
                let free = configuration.maxInFlight - inFlight.load(ordering: .relaxed)
                var claimedAll = false
                if free < minimumClaim {
                    slotsWanted.store(true, ordering: .sequentiallyConsistent)
                    // A send that ended before the flag was set did not wake us: look again.
                    if configuration.maxInFlight - inFlight.load(ordering: .sequentiallyConsistent) >= minimumClaim { continue }
                } else {
                    do {
                        let claimed = try await claimer.claim(limit: free, now: now())
                        failures = 0
                        claimedAll = claimed.count == free
                        // A partial claim took everything due: more comes by NOTIFY or the poll.
                        slotsWanted.store(claimedAll, ordering: .sequentiallyConsistent)
                        for due in claimed {
                            inFlight.add(1, ordering: .relaxed)
                            group.addTask {
                                await self.process(due)
                                self.inFlight.subtract(1, ordering: .sequentiallyConsistent)
                                if self.slotsWanted.load(ordering: .sequentiallyConsistent) { self.wake.signal() }
                            }
                        }
                    } catch {
                        failures += 1
                        let delay = Duration.milliseconds(min(30_000, 250 << min(failures, 7)))
                        logger.warning("claiming deliveries failed", metadata: ["error": "\(error)", "retry_in_ms": "\(delay.deliveryMillis)"])
                        try? await Task.sleep(for: delay)
                        continue
                    }
                }
                if ContinuousClock.now - lastPrune > .seconds(300) {
                    try? await EndpointRateLimit.prune(before: now(), on: pool)
                    lastPrune = .now
                }
                // A full claim may have left more due: look again at once (if a slot is free).
                if claimedAll { continue }
                await wake.wait(timeout: configuration.pollInterval)
            }
        }
    }

    /// Claims and sends everything due now, waiting for every send to be
    /// recorded; returns how many were processed. For tests and tools: with
    /// an injected clock it makes one "tick" deterministic.
    @discardableResult
    func processDue() async throws -> Int {
        var processed = 0
        while true {
            let claimed = try await claimer.claim(limit: configuration.maxInFlight, now: now())
            if claimed.isEmpty { return processed }
            await withDiscardingTaskGroup { group in
                for due in claimed { group.addTask { await self.process(due) } }
            }
            processed += claimed.count
        }
    }

    /// Sends one claimed delivery and records the outcome. Never throws: a
    /// failure to record leaves the lease to expire, and the delivery is
    /// sent again later under the same idempotency key.
    func process(_ due: DueDelivery) async {
        let startedAt = now()
        let clock = ContinuousClock()
        let began = clock.now
        guard let outcome = await sendUnlessStopping(due, at: startedAt) else {
            await handBack(due)
            return
        }
        let duration = clock.now - began
        // Built only for a line that is logged (the metadata is an autoclosure):
        // at the default level a sent delivery logs nothing.
        func metadata(_ extra: Logger.Metadata = [:]) -> Logger.Metadata {
            var metadata: Logger.Metadata = [
                "delivery_id": "\(due.delivery.id.uuidString.lowercased())",
                "channel": "\(due.delivery.channel.rawValue)",
                "attempt": "\(due.attempt)",
            ]
            if let status = outcome.statusCode { metadata["status"] = "\(status)" }
            if let error = outcome.error { metadata["error"] = "\(error)" }
            return metadata.merging(extra) { $1 }
        }
        do {
            guard let recorded = try await recorder.record(due, outcome: outcome, startedAt: startedAt, duration: duration) else {
                logger.warning("delivery lease lost before its result was recorded; its new owner records", metadata: metadata())
                return
            }
            switch recorded.delivery.state {
            case .sent: logger.debug("delivery sent", metadata: metadata())
            case .dead: logger.warning("delivery dead", metadata: metadata())
            case .failed, .pending: logger.info("delivery attempt failed; will retry", metadata: metadata())
            }
            if let fallback = recorded.fallback {
                logger.notice("delivery fell back to the recipient's next channel", metadata: metadata([
                    "fallback_delivery_id": "\(fallback.id.uuidString.lowercased())",
                    "fallback_channel": "\(fallback.channel.rawValue)",
                ]))
            }
        } catch {
            logger.error(
                "recording a delivery result failed; it will be sent again after its lease",
                metadata: metadata(["record_error": "\(error)"]))
        }
    }

    /// The send's outcome, or nil when shutdown cancelled it (or came first).
    private func sendUnlessStopping(_ due: DueDelivery, at now: Date) async -> SendOutcome? {
        if stopping.isFired { return nil }
        return await withTaskGroup(of: SendOutcome?.self) { group in
            group.addTask { await self.send(due, at: now) }
            group.addTask {
                await self.stopping.wait()
                return nil
            }
            // The first to finish decides; cancelling the other ends its request or its wait.
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    /// A send cancelled by shutdown: the lease is cleared without counting an
    /// attempt, so the next worker (another replica, or this one restarted)
    /// sends it at once. If this fails, the lease simply runs out.
    private func handBack(_ due: DueDelivery) async {
        let metadata: Logger.Metadata = ["delivery_id": "\(due.delivery.id.uuidString.lowercased())"]
        do {
            try await pool.withConnection { try await DeliveryClaimStore.release(due, on: $0) }
            logger.info("send cancelled by shutdown; delivery handed back unsent", metadata: metadata)
        } catch {
            logger.warning("send cancelled by shutdown; its lease will run out", metadata: metadata)
        }
    }

    /// Opens the secret and hands the message to the channel's sender.
    /// Configuration problems are permanent: retrying cannot fix them.
    private func send(_ due: DueDelivery, at now: Date) async -> SendOutcome {
        guard let endpoint = due.endpoint else {
            return .permanent(statusCode: nil, error: "no \(due.delivery.channel.rawValue) channel is configured for the recipient or their unit")
        }
        guard due.configEnabled else {
            return .permanent(statusCode: nil, error: "the \(due.delivery.channel.rawValue) channel configuration is disabled")
        }
        var secret: String?
        if let sealed = due.sealedSecret {
            guard let binding = due.secretBinding else {
                return .permanent(statusCode: nil, error: SecretBoxError.cannotOpen.description)
            }
            do {
                secret = try secrets.open(sealed, for: binding)
            } catch {
                return .permanent(statusCode: nil, error: "\(error)")
            }
        }
        return await senders.sender(for: due.delivery.channel)
            .send(due.message, to: ChannelTarget(endpoint: endpoint, secret: secret), now: now)
    }
}
