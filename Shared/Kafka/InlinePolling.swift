import Dispatch
import Synchronization

/// While a sender is enqueueing it serves delivery reports itself
/// (`rd_kafka_poll(rk, 0)` between messages, as a C produce loop does); the
/// poll thread then stands down. Otherwise librdkafka would wake it for each
/// report it queues, a context switch that competes for the same cores with
/// the sender and librdkafka's own threads, only to serve what the sender
/// serves anyway. Once the last sender leaves (done, or waiting for room or
/// for its reports) the poll thread polls again.
final class InlinePolling: Sendable {
    private let active = Atomic<Int>(0)
    /// The poll thread is (about to be) blocked in `waitWhileActive`; only
    /// then does the last leaving sender signal, so that single sends do not
    /// pile up signals. A race leaves at most one spare signal, which costs
    /// the poll thread one extra loop.
    private let sleeping = Atomic<Bool>(false)
    private let idle = DispatchSemaphore(value: 0)

    /// A sender starts serving inline.
    func enter() {
        active.wrappingAdd(1, ordering: .relaxed)
    }

    /// A sender stops serving inline (it must not wait while still entered).
    func leave() {
        if active.wrappingSubtract(1, ordering: .sequentiallyConsistent).newValue == 0,
            sleeping.exchange(false, ordering: .sequentiallyConsistent)
        {
            idle.signal()
        }
    }

    var isActive: Bool { active.load(ordering: .acquiring) > 0 }

    /// Blocks the poll thread until the last sender left, or `milliseconds`
    /// passed (so that a stop request is seen). Never call on the cooperative pool.
    func waitWhileActive(milliseconds: Int) {
        sleeping.store(true, ordering: .sequentiallyConsistent)
        // Announced first, then checked: a sender that left in between either
        // is seen here or sees `sleeping` and signals.
        if active.load(ordering: .sequentiallyConsistent) > 0 {
            _ = idle.wait(timeout: .now() + .milliseconds(milliseconds))
        }
        sleeping.store(false, ordering: .sequentiallyConsistent)
    }

    /// Wakes a waiting poll thread (stop).
    func wake() { idle.signal() }
}
