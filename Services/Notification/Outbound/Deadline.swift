/// `body`, or `DeadlineExceeded` once `timeout` has passed — in which case
/// `body`'s task is cancelled (AsyncHTTPClient then cancels its request) and
/// awaited. One clock for the whole exchange: AsyncHTTPClient's own
/// deadline ends when the reply's head arrives, not its body.
func withDeadline<T: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        // The first to finish decides: a value, an error, or nil for the clock.
        guard let first = try await group.next(), let value = first else { throw DeadlineExceeded() }
        return value
    }
}

struct DeadlineExceeded: Error {}
