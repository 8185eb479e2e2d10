import CRdKafka
import Synchronization

/// The delivery bookkeeping of one `KafkaProducer.send` call (a single send
/// is a batch of 1): one result slot per message, a countdown of unsettled
/// messages and one continuation, resumed exactly once when the last message
/// settles or when `close` fails the batch. The per-message path (enqueue,
/// delivery report) takes no lock and touches no dictionary.
///
/// Each message's opaque (`RD_KAFKA_VTYPE_OPAQUE`, `message._private` in the
/// delivery-report callback) points at its `Slot` in one allocation per batch.
///
/// Ownership rule — who keeps the batch (and so its slots) alive:
/// - the sending task, while it enqueues and awaits;
/// - the tracker's set of live batches, from `register` until the sender
///   unregisters it (after close: until the tracker is deinitialized, if
///   librdkafka may still hold some of its messages);
/// - librdkafka: one reference for all messages of the batch
///   (`retainForLibrdkafka`, taken before the first produce). Every message
///   *settles* exactly once — by its delivery report, or by the sender when
///   produce failed or the producer was closed before it was enqueued — and
///   the settle that brings `remaining` to 0 drops that reference (the caller
///   of `settle`, once it no longer touches the batch). If the client is
///   destroyed with messages never reported, the tracker's deinit drops it:
///   the tracker is referenced by the client's context, which is released
///   only after `rd_kafka_destroy` returned, so no callback can follow.
final class DeliveryBatch: @unchecked Sendable {
    typealias Outcome = Result<KafkaDeliveryReport, KafkaError>

    /// One message. `batch` is unretained: the batch's librdkafka reference
    /// keeps it alive while any message is unsettled. 24 bytes: a delivery
    /// report touches one slot, so a large batch's slots should stay small.
    struct Slot: ~Copyable {
        let batch: Unmanaged<DeliveryBatch>
        var offset: Int64 = -1
        var partition: Int32 = -1
        /// `unsettled` until the fields above were written (releasing), then
        /// `delivered` or `failed` (the error is in the batch's `errors`).
        let state = Atomic<UInt32>(Slot.unsettled)
        static let unsettled: UInt32 = 0, delivered: UInt32 = 1, failed: UInt32 = 2

        init(batch: Unmanaged<DeliveryBatch>) { self.batch = batch }
    }

    let count: Int
    private let slots: UnsafeMutablePointer<Slot>
    /// Messages not settled yet.
    private let remaining: Atomic<Int>
    /// `claimed`: a finisher (last settle or close) won; `ready`: it has
    /// published; `waiting`: the sender stored its continuation. The second of
    /// `ready`/`waiting` to be set resumes, so the resume happens exactly once.
    private let phase = Atomic<Int>(0)
    private static let claimed = 1, ready = 2, waiting = 4
    /// Written by the sender before it sets `waiting`.
    private var continuation: UnsafeContinuation<Void, Never>?
    /// Written by a closing finisher before it sets `ready`.
    private var closedError: KafkaError?
    /// The errors of failed messages by index; rare, so kept out of the slots.
    private let errors = Mutex<[Int: KafkaError]>([:])

    init(count: Int) {
        precondition(count > 0)
        self.count = count
        self.remaining = Atomic(count)
        self.slots = .allocate(capacity: count)
        let me = Unmanaged.passUnretained(self)
        for index in 0..<count { (slots + index).initialize(to: Slot(batch: me)) }
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    /// The opaque of message `index`.
    func opaque(_ index: Int) -> UnsafeMutableRawPointer { UnsafeMutableRawPointer(slots + index) }

    /// librdkafka's one reference to the batch (see the ownership rule).
    func retainForLibrdkafka() { _ = Unmanaged.passUnretained(self).retain() }

    /// Records the outcome of message `index` (its report, or why it never
    /// reached librdkafka). Returns true when it was the last: the caller then
    /// drops librdkafka's reference (`Unmanaged.release`) after it is done
    /// with the batch.
    func settle(_ index: Int, partition: Int32, offset: Int64, error: KafkaError?) -> Bool {
        Self.settle(slots + index, partition: partition, offset: offset, error: error)
    }

    static func settle(
        _ slot: UnsafeMutablePointer<Slot>, partition: Int32, offset: Int64, error: KafkaError?
    ) -> Bool {
        slot.pointee.partition = partition
        slot.pointee.offset = offset
        return slot.pointee.batch._withUnsafeGuaranteedRef { batch in
            if let error {
                batch.errors.withLock { $0[slot - batch.slots] = error }
                slot.pointee.state.store(Slot.failed, ordering: .releasing)
            } else {
                slot.pointee.state.store(Slot.delivered, ordering: .releasing)
            }
            guard batch.remaining.wrappingSubtract(1, ordering: .acquiringAndReleasing).newValue == 0
            else { return false }
            batch.finish(closedWith: nil)
            return true
        }
    }

    /// Ends the wait: every message settled (`nil`) or the producer closed.
    /// Only the first call has an effect.
    func finish(closedWith error: KafkaError?) {
        guard phase.bitwiseOr(Self.claimed, ordering: .acquiringAndReleasing).oldValue & Self.claimed == 0
        else { return }
        if let error { closedError = error }
        let before = phase.bitwiseOr(Self.ready, ordering: .acquiringAndReleasing).oldValue
        if before & Self.waiting != 0 { continuation!.resume() }
    }

    /// Suspends until `finish`; returns the results in message order. Messages
    /// unsettled when the producer closed fail with the closed error. Called once.
    func wait(topics: (Int) -> String) async -> [Outcome] {
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
            self.continuation = continuation
            let before = phase.bitwiseOr(Self.waiting, ordering: .acquiringAndReleasing).oldValue
            if before & Self.ready != 0 { continuation.resume() }
        }
        precondition(phase.load(ordering: .acquiring) & Self.ready != 0)
        return [Outcome](unsafeUninitializedCapacity: count) { results, initialized in
            for index in 0..<count {
                let slot = slots + index
                let outcome: Outcome
                switch slot.pointee.state.load(ordering: .acquiring) {
                case Slot.delivered:
                    outcome = .success(
                        KafkaDeliveryReport(
                            topic: topics(index), partition: slot.pointee.partition, offset: slot.pointee.offset))
                case Slot.failed:
                    // The error was stored before the state (see `settle`).
                    outcome = .failure(errors.withLock { $0[index] } ?? KafkaProducer.closedError)
                default:
                    outcome = .failure(closedError ?? KafkaProducer.closedError)
                }
                (results.baseAddress! + index).initialize(to: outcome)
            }
            initialized = count
        }
    }

    /// True while librdkafka may still report some message of the batch.
    var hasUnsettledMessages: Bool { remaining.load(ordering: .acquiring) > 0 }

    /// The delivery-report callback: settles the message whose slot is the
    /// message opaque. Runs on the poll thread, in a sender serving reports
    /// inline while it enqueues, or in `rd_kafka_flush`.
    static func installCallback(on conf: OpaquePointer) {
        rd_kafka_conf_set_dr_msg_cb(conf) { rk, message, _ in
            guard let message, let opaque = message.pointee._private else { return }
            let slot = opaque.assumingMemoryBound(to: Slot.self)
            let err = message.pointee.err
            let error: KafkaError?
            if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                error = nil
            } else if let rk {
                error = KafkaError.resolving(err, client: rk)
            } else {
                error = KafkaError(err)
            }
            let batch = slot.pointee.batch
            if DeliveryBatch.settle(slot, partition: message.pointee.partition, offset: message.pointee.offset, error: error) {
                batch.release()  // librdkafka's reference; the slot may be gone now
            }
        }
    }
}
