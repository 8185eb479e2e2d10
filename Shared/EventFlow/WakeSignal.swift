import Logging
import Postgres
import ServiceLifecycle
import Synchronization

/// A level-triggered wake-up: a `signal` before `wait` is not lost, and many
/// signals while nobody waits collapse into one. The relay (and any other
/// worker woken by NOTIFY) sleeps on it until a signal, its poll interval or
/// shutdown, whichever comes first.
public final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
        /// Tells a timeout which wait it belongs to, so a late one never ends a later wait.
        var generation: UInt64 = 0
    }
    private let state = Mutex(State())

    public init() {}

    public func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns at the first signal (at once if one is pending), or after `timeout`.
    public func wait(timeout: Duration) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let generation = state.withLock { state -> UInt64? in
                if state.pending {
                    state.pending = false
                    return nil
                }
                state.generation &+= 1
                state.waiter = continuation
                return state.generation
            }
            guard let generation else { return continuation.resume() }
            Task {
                try? await Task.sleep(for: timeout)
                self.expire(generation)
            }
        }
    }

    private func expire(_ generation: UInt64) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.generation == generation, let waiter = state.waiter else { return nil }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }
}

extension WakeSignal {
    /// Runs `body` (a worker's loop that waits on this signal) while every
    /// NOTIFY on `channel` raises the signal; on graceful shutdown
    /// `onShutdown` runs, then the signal is raised so the loop notices.
    /// The listener's own connection is closed before this returns.
    public func run(
        wokenByNotifyOn channel: String, database: PostgresConfiguration, logger: Logger,
        onShutdown: @escaping @Sendable () -> Void, _ body: @Sendable () async -> Void
    ) async {
        let listener = PostgresListener(database, channels: [channel], logger: logger)
        let forwarder = Task { for await _ in listener.events { self.signal() } }
        await withGracefulShutdownHandler {
            await body()
        } onGracefulShutdown: {
            onShutdown()
            self.signal()
        }
        forwarder.cancel()
        await listener.close()
    }
}
