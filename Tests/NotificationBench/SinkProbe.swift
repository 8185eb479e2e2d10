import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization

/// The sink measured alone (`--sink-only`): `count` webhook-sized POSTs from
/// this process over `connections` kept-alive HTTP/1.1 connections, with
/// AsyncHTTPClient as the notification service sends them. Its rate is the
/// most the sink could take on this machine; a service figure far below it
/// is the service's own.
enum SinkProbe {
    static func run(sink: Sink, count: Int, connections: Int) async throws -> String {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections),
            decompression: .disabled)
        configuration.tracing.tracer = nil
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let cpuBefore = ProcessCPU.cpuSeconds(of: getpid()) ?? 0
        let started = ContinuousClock.now
        let next = RequestNumbers()
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<connections {
                    group.addTask {
                        while let n = next.take(below: count) {
                            var request = HTTPClientRequest(url: sink.base + "/hook")
                            request.method = .POST
                            request.headers.add(name: "Content-Type", value: "application/json")
                            request.headers.add(name: "Idempotency-Key", value: "probe-\(n)")
                            request.body = .bytes(ByteBuffer(string: Self.body(n)))
                            let response = try await client.execute(request, timeout: .seconds(30))
                            _ = try await response.body.collect(upTo: 16 * 1024)
                        }
                    }
                }
                try await group.waitForAll()
            }
        } catch {
            try? await client.shutdown()
            throw error
        }
        let wall = (ContinuousClock.now - started).seconds
        let cpu = (ProcessCPU.cpuSeconds(of: getpid()) ?? 0) - cpuBefore
        try await client.shutdown()
        return String(
            format: "sink alone: %d requests over %d connections in %.2f s = %.0f requests/s (sink and client together used %.2f CPU s)",
            count, connections, wall, Double(count) / wall, cpu)
    }

    /// About the size of a letter's webhook body.
    static func body(_ n: Int) -> String {
        """
        {"body":"请于2026年12月31日前书面回复协调机制办公室。","class":"letter","createdAt":"2026-12-01T00:00:00Z",\
        "eventId":"probe-\(n)","eventType":"cn.gov.fangxian.shuangjian.scheduling.letter.issued.v1","id":"probe-\(n)",\
        "recipient":{"id":"00000000-0000-0000-0000-000000000000","name":"联络员"},"title":"关于校外培训治理事项的督办函（第\(n)号）"}
        """
    }
}

/// Hands out 0, 1, 2, … to concurrent loops.
final class RequestNumbers: Sendable {
    private let value = Mutex(0)
    func take(below limit: Int) -> Int? {
        value.withLock { value in
            guard value < limit else { return nil }
            defer { value += 1 }
            return value
        }
    }
}
