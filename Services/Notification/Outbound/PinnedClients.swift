import AsyncHTTPClient
import NIOCore
import Synchronization

/// AsyncHTTPClient instances, one per host, each told to connect to the
/// address `EndpointGuard` checked for that host (`dnsOverride`, which keeps
/// the host name for `Host`, SNI and certificate checks): the only way
/// AsyncHTTPClient connects to an address of our choosing. Each pools its
/// host's connections; all share NIO's event loops.
///
/// When a host's answer no longer contains the pinned address, a client for
/// the new address takes over and the old one is shut down once its last
/// request finished. `shutdown()` ends them all, cancelling what is in flight.
final class PinnedClients: Sendable {
    private struct Pin: Hashable {
        var host: String
        var address: IPAddress
    }

    private struct Entry {
        var client: HTTPClient
        var inFlight = 0
        var retired = false
    }

    private struct State {
        var entries: [Pin: Entry] = [:]
        /// The pin each host uses now.
        var current: [String: Pin] = [:]
        var shutDown = false
    }

    private let state = Mutex(State())
    private let configuration: HTTPClient.Configuration

    init(configuration: HTTPClient.Configuration) {
        self.configuration = configuration
    }

    struct ShutDown: Error {}

    /// Runs `body` with the client pinned to `address` for `host`.
    func withClient<T>(host: String, address: IPAddress, _ body: (HTTPClient) async throws -> T) async throws -> T {
        let (pin, client, idle) = try acquire(host: host, address: address)
        if let idle { Task { try? await idle.shutdown() } }
        defer { release(pin) }
        return try await body(client)
    }

    /// The client for (host, address), and a client of the host's previous
    /// address to shut down when none of its requests is left.
    private func acquire(host: String, address: IPAddress) throws -> (Pin, HTTPClient, idle: HTTPClient?) {
        let configuration = self.configuration
        return try state.withLock { state in
            guard !state.shutDown else { throw ShutDown() }
            let pin = Pin(host: host, address: address)
            var idle: HTTPClient?
            if let previous = state.current[host], previous != pin, let entry = state.entries[previous] {
                if entry.inFlight == 0 {
                    state.entries[previous] = nil
                    idle = entry.client
                } else {
                    state.entries[previous]?.retired = true
                }
            }
            state.current[host] = pin
            if state.entries[pin] == nil {
                var pinned = configuration
                // A literal host is already the address: nothing to override.
                if IPAddress(host) == nil { pinned.dnsOverride = [host: address.description] }
                state.entries[pin] = Entry(client: HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: pinned))
            }
            state.entries[pin]!.retired = false
            state.entries[pin]!.inFlight += 1
            return (pin, state.entries[pin]!.client, idle)
        }
    }

    private func release(_ pin: Pin) {
        let idle = state.withLock { state -> HTTPClient? in
            guard var entry = state.entries[pin] else { return nil }
            entry.inFlight -= 1
            if entry.retired && entry.inFlight == 0 {
                state.entries[pin] = nil
                return entry.client
            }
            state.entries[pin] = entry
            return nil
        }
        if let idle { Task { try? await idle.shutdown() } }
    }

    /// Shuts every client down; requests still in flight fail as cancelled.
    func shutdown() async {
        let clients = state.withLock { state -> [HTTPClient] in
            state.shutDown = true
            defer { state.entries = [:] }
            return state.entries.values.map(\.client)
        }
        for client in clients { try? await client.shutdown() }
    }
}
