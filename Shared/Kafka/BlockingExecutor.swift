import Dispatch

/// A client's own serial queue. Blocking librdkafka calls (poll with timeout,
/// flush, sync commit, consumer close, admin waits) run here, never on Swift's
/// cooperative pool, and are bridged back with a continuation. Serial, so a
/// client's blocking calls never overlap (close cannot race a poll).
final class BlockingExecutor: Sendable {
    private let queue: DispatchQueue
    var queueForDetach: DispatchQueue { queue }

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }

    func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }
}

extension BlockingExecutor {
    /// Fire-and-forget (deinit paths that cannot await).
    func detach(_ body: @escaping @Sendable () -> Void) {
        queueForDetach.async(execute: body)
    }
}
