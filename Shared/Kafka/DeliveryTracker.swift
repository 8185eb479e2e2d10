import CRdKafka
import Synchronization

/// The producer-wide side of delivery bookkeeping: the live `DeliveryBatch`es
/// (only so that `close` can fail them; one lock per batch, none per message)
/// and queue-full senders waiting for the poll thread to free room.
///
/// Lifetime: the client's `ClientContext` references the tracker and is
/// released only after `rd_kafka_destroy` returned, so when `deinit` runs no
/// delivery report can follow; it then drops librdkafka's reference of every
/// batch that still had unreported messages (see `DeliveryBatch`).
final class DeliveryTracker: Sendable {
    private struct State {
        var live: [ObjectIdentifier: DeliveryBatch] = [:]
        var roomWaiters: [CheckedContinuation<Void, Never>] = []
        var closedError: KafkaError?
    }

    private let state = Mutex(State())
    /// Bumped whenever delivery reports were served (room freed); a sender
    /// that saw queue-full at generation g waits only while it is still g.
    /// Written under the lock, read without it.
    private let generation = Atomic<UInt64>(0)
    /// Mirrors `closedError != nil` for the per-message check.
    private let closed = Atomic<Bool>(false)

    deinit {
        state.withLock { state in
            for batch in state.live.values where batch.hasUnsettledMessages {
                Unmanaged.passUnretained(batch).release()
            }
            state.live.removeAll()
        }
    }

    /// Adds a batch about to be enqueued; the closed error if closed already.
    func register(_ batch: DeliveryBatch) -> KafkaError? {
        state.withLock { state in
            if let error = state.closedError { return error }
            state.live[ObjectIdentifier(batch)] = batch
            return nil
        }
    }

    /// The sender is done with `batch`. After close, a batch librdkafka may
    /// still report into stays until `deinit`.
    func unregister(_ batch: DeliveryBatch) {
        state.withLock { state in
            if state.closedError == nil || !batch.hasUnsettledMessages {
                state.live[ObjectIdentifier(batch)] = nil
            }
        }
    }

    var isClosed: Bool { closed.load(ordering: .acquiring) }

    var roomGeneration: UInt64 { generation.load(ordering: .acquiring) }

    /// Suspends until the poll thread frees room after `generation` (or close).
    func waitForRoom(after generation: UInt64) async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state in
                if self.generation.load(ordering: .relaxed) != generation || state.closedError != nil { return true }
                state.roomWaiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// Called by the poll thread after it served events.
    func roomFreed() {
        let waiters = state.withLock { state in
            generation.wrappingAdd(1, ordering: .releasing)
            defer { state.roomWaiters.removeAll() }
            return state.roomWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    var closedError: KafkaError? { state.withLock { $0.closedError } }

    /// Fails every live batch (their unreported messages get `error`) and
    /// wakes queue-full senders. Later registrations fail.
    func close(with error: KafkaError) {
        let (batches, roomWaiters) = state.withLock { state in
            state.closedError = error
            closed.store(true, ordering: .releasing)
            defer { state.roomWaiters.removeAll() }
            return (Array(state.live.values), state.roomWaiters)
        }
        for batch in batches { batch.finish(closedWith: error) }
        for waiter in roomWaiters { waiter.resume() }
    }

    /// Installs the C delivery-report callback (see `DeliveryBatch`).
    func installCallback(on conf: OpaquePointer) {
        DeliveryBatch.installCallback(on: conf)
    }
}
