import CLibPQ
import Foundation
import Logging
import Synchronization

public enum PostgresListenerEvent: Sendable, Equatable {
    case notification(channel: String, payload: String)
    /// The connection was (re-)established after a failure; notifications
    /// sent meanwhile are lost, so re-read whatever they would have signalled.
    case reconnected
}

/// LISTEN on a dedicated connection served by its own thread (it waits in
/// poll(2), which must not happen on the cooperative pool). After the
/// connection drops it reconnects with backoff and LISTENs again.
public final class PostgresListener: Sendable {
    public let events: AsyncStream<PostgresListenerEvent>
    private let continuation: AsyncStream<PostgresListenerEvent>.Continuation
    private let stopping = Atomic<Bool>(false)
    private let exit = Mutex<(done: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    public init(_ configuration: PostgresConfiguration, channels: [String], logger: Logger) {
        (events, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
        let thread = Thread { [self] in
            run(configuration, channels: channels, logger: logger)
        }
        thread.name = "postgres-listener"
        thread.start()
    }

    /// Stops listening; returns once the thread has closed its connection.
    public func close() async {
        stopping.store(true, ordering: .relaxed)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = exit.withLock { state in
                if !state.done { state.waiters.append(continuation) }
                return state.done
            }
            if done { continuation.resume() }
        }
    }

    private var isStopping: Bool { stopping.load(ordering: .relaxed) }

    private func run(_ configuration: PostgresConfiguration, channels: [String], logger: Logger) {
        var delay = 0.1
        var nextIsReconnect = false
        while !isStopping {
            do {
                let handle = try PGConnectionHandle.connect(configuration)
                try listen(handle, channels: channels)
                delay = 0.1
                if nextIsReconnect { continuation.yield(.reconnected) }
                nextIsReconnect = true
                logger.debug("postgres listener connected", metadata: ["channels": "\(channels)"])
                pump(handle)
                handle.finish()
                if !isStopping { logger.warning("postgres listener lost its connection; reconnecting") }
            } catch {
                nextIsReconnect = true
                logger.warning("postgres listener cannot connect", metadata: ["error": "\(error)", "retry_in_s": "\(delay)"])
                sleep(seconds: delay)
                delay = min(delay * 2, 5)
            }
        }
        continuation.finish()
        let waiters = exit.withLock { state in
            state.done = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Channel names are identifiers, so they are quoted, not bound.
    private func listen(_ handle: PGConnectionHandle, channels: [String]) throws {
        guard let conn = handle.pointer else { return }
        for channel in channels {
            let sql = "LISTEN \"\(channel.replacingOccurrences(of: "\"", with: "\"\""))\""
            guard let result = PQexec(conn, sql) else { throw PostgresError(message: handle.errorMessage, connectionLost: true) }
            let owned = PGResultHandle(result)
            guard PQresultStatus(result) == PGRES_COMMAND_OK else {
                throw PostgresError(result: owned, query: sql, connectionLost: PQstatus(conn) != CONNECTION_OK)
            }
        }
    }

    /// Delivers notifications until the connection fails or `close()` is called.
    private func pump(_ handle: PGConnectionHandle) {
        guard let conn = handle.pointer else { return }
        let socket = PQsocket(conn)
        while !isStopping {
            while let notify = PQnotifies(conn) {
                let channel = String(cString: notify.pointee.relname)
                let payload = String(cString: notify.pointee.extra)
                PQfreemem(notify)
                continuation.yield(.notification(channel: channel, payload: payload))
            }
            // Wake up now and then to notice close().
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 200)
            if ready < 0, errno != EINTR { return }
            if ready > 0, PQconsumeInput(conn) == 0 { return }
            if PQstatus(conn) != CONNECTION_OK { return }
        }
    }

    private func sleep(seconds: Double) {
        var remaining = seconds
        while remaining > 0, !isStopping {
            let step = min(remaining, 0.1)
            usleep(UInt32(step * 1_000_000))
            remaining -= step
        }
    }
}
