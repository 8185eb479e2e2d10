import Logging
import Synchronization

/// Up to `poolSize` connections, opened lazily. When all are busy, callers
/// wait in FIFO order. A connection that comes back broken (e.g. the server
/// restarted) is dropped and its slot reopened on demand, so the pool heals.
public final class PostgresPool: Sendable {
    public let configuration: PostgresConfiguration
    let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var idle: [PostgresConnection] = []
        var open = 0
        var waiters: [Waiter] = []
        var nextWaiterId = 0
        var closed = false
    }

    private struct Waiter {
        var id: Int
        var continuation: CheckedContinuation<Lease, any Error>
    }

    /// What a borrower gets: an idle connection, or permission to open one.
    private enum Lease: Sendable {
        case connection(PostgresConnection)
        case openNew
    }

    public init(_ configuration: PostgresConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    public func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await acquire()
        let result: Result<T, any Error>
        do {
            // Run the body on the connection's own queue: its queries then need no thread hop.
            result = .success(try await withTaskExecutorPreference(connection.executor) { try await body(connection) })
        } catch {
            result = .failure(error)
        }
        await release(connection, reusable: await connection.prepareForReuse())
        return try result.get()
    }

    /// One statement on any connection. A statement that never reached the
    /// server (its connection was found dead first) is retried on another.
    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> PostgresRows {
        var attempt = 0
        while true {
            attempt += 1
            let connection = try await acquire()
            let (result, reusable) = await connection.queryForPool(query)
            await release(connection, reusable: reusable)
            if case .failure(let error as PostgresError) = result, error.notSent, attempt <= configuration.poolSize {
                continue
            }
            return try result.get()
        }
    }

    @discardableResult
    public func execute(_ query: PostgresQuery) async throws -> Int {
        try await self.query(query).affectedRows
    }

    /// BEGIN … COMMIT; ROLLBACK when the body throws. Serialization failures
    /// and deadlocks (40001, 40P01) — and connection losses before COMMIT was
    /// sent, which the server rolls back anyway — rerun the whole body after a
    /// capped exponential backoff with jitter, up to `maxAttempts` runs.
    public func transaction<T: Sendable>(
        isolation: PostgresIsolation = .readCommitted, maxAttempts: Int = 5,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await withConnection { connection in
                    try await connection.query(PostgresQuery(unsafeSQL: isolation.beginStatement))
                    do {
                        let value = try await body(connection)
                        try await connection.commit()
                        return value
                    } catch {
                        await connection.rollbackIfNeeded()
                        throw error
                    }
                }
            } catch let error as PostgresError where attempt < maxAttempts && error.isRetryableTransactionFailure {
                logger.debug("retrying transaction", metadata: ["attempt": "\(attempt)", "error": "\(error)"])
                try await Task.sleep(for: Self.backoff(attempt: attempt))
                attempt += 1
            }
        }
    }

    /// Readiness probe.
    public func ping() async throws {
        try await query("SELECT 1")
    }

    /// Closes idle connections now, busy ones when they come back; waiters fail.
    public func close() async {
        let (idle, waiters) = state.withLock { state in
            state.closed = true
            defer { state.idle = []; state.waiters = [] }
            state.open -= state.idle.count
            return (state.idle, state.waiters)
        }
        for waiter in waiters { waiter.continuation.resume(throwing: PostgresError.poolClosed) }
        for connection in idle { await connection.close() }
    }

    // MARK: - Borrowing

    func acquire() async throws -> PostgresConnection {
        let immediate: Lease? = try state.withLock { state in
            if state.closed { throw PostgresError.poolClosed }
            if let connection = state.idle.popLast() { return .connection(connection) }
            if state.open < configuration.poolSize { state.open += 1; return .openNew }
            return nil
        }
        let lease = if let immediate { immediate } else { try await waitForLease() }
        switch lease {
        case .connection(let connection):
            return connection
        case .openNew:
            do {
                return try await PostgresConnection.connect(configuration, logger: logger)
            } catch {
                slotFreed()
                throw error
            }
        }
    }

    private func waitForLease() async throws -> Lease {
        let id = state.withLock { state in state.nextWaiterId += 1; return state.nextWaiterId }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Lease, any Error>) in
                let ready: Result<Lease, any Error>? = state.withLock { state in
                    if state.closed { return .failure(PostgresError.poolClosed) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if let connection = state.idle.popLast() { return .success(.connection(connection)) }
                    if state.open < configuration.poolSize { state.open += 1; return .success(.openNew) }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    private func release(_ connection: PostgresConnection, reusable: Bool) async {
        guard reusable else {
            await connection.close()
            slotFreed()
            return
        }
        let (waiter, closeIt) = state.withLock { state -> (Waiter?, Bool) in
            if state.closed { state.open -= 1; return (nil, true) }
            if !state.waiters.isEmpty { return (state.waiters.removeFirst(), false) }
            state.idle.append(connection)
            return (nil, false)
        }
        waiter?.continuation.resume(returning: .connection(connection))
        if closeIt { await connection.close() }
    }

    /// A connection slot became free: hand it to the first waiter, if any.
    private func slotFreed() {
        let waiter = state.withLock { state -> Waiter? in
            if !state.closed, !state.waiters.isEmpty { return state.waiters.removeFirst() }
            state.open -= 1
            return nil
        }
        waiter?.continuation.resume(returning: .openNew)
    }

    static func backoff(attempt: Int) -> Duration {
        let capped = min(1_000.0, 10.0 * Double(1 << min(attempt - 1, 10)))
        return .milliseconds(Int(Double.random(in: capped / 2...capped)))
    }
}

public enum PostgresIsolation: Sendable {
    case readCommitted, repeatableRead, serializable

    var beginStatement: String {
        switch self {
        case .readCommitted: "BEGIN ISOLATION LEVEL READ COMMITTED"
        case .repeatableRead: "BEGIN ISOLATION LEVEL REPEATABLE READ"
        case .serializable: "BEGIN ISOLATION LEVEL SERIALIZABLE"
        }
    }
}

extension PostgresError {
    static let poolClosed = PostgresError(message: "the connection pool is closed", notSent: true)

    var isRetryableTransactionFailure: Bool {
        isSerializationFailure || (isConnectionError && notSent)
    }
}
