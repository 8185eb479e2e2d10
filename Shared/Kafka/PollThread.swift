import CRdKafka
import Foundation
import Synchronization

/// A producer's dedicated thread that serves librdkafka's main queue
/// (delivery reports, errors) with `rd_kafka_poll`, a blocking call that
/// must stay off the cooperative pool.
final class PollThread: Sendable {
    /// Shared with the thread's closure (noncopyable atomics live in a class).
    private final class Flags: Sendable {
        let stopRequested = Atomic<Bool>(false)
        let finished = Mutex<(done: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))
    }

    private let flags = Flags()
    private let inline: InlinePolling

    /// Starts polling `client`. The thread holds the client and drops its
    /// reference when it stops; when that is the last one, `rd_kafka_destroy`
    /// runs here too, off the pool.
    /// Stands down while `inline.isActive` (a sender serves the queue then).
    init(name: String, client: RDClient, inline: InlinePolling, onServed: @escaping @Sendable () -> Void) {
        self.inline = inline
        let thread = Thread { [flags] in
            var client: RDClient? = client
            while !flags.stopRequested.load(ordering: .relaxed), let rk = client?.handle {
                if inline.isActive {
                    inline.waitWhileActive(milliseconds: 100)
                    continue
                }
                // 100 ms bounds how long stop() waits; delivery reports wake it earlier.
                if rd_kafka_poll(rk, 100) > 0 { onServed() }
            }
            client = nil
            let waiters = flags.finished.withLock { state in
                state.done = true
                defer { state.waiters.removeAll() }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
        }
        thread.name = name
        thread.start()
    }

    /// Asks the thread to stop without waiting (deinit paths).
    func requestStop() {
        flags.stopRequested.store(true, ordering: .relaxed)
        inline.wake()
    }

    /// Stops the thread and waits until it has released its client.
    func stop() async {
        requestStop()
        await withCheckedContinuation { continuation in
            let done = flags.finished.withLock { state in
                if state.done { return true }
                state.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }
}
