import Foundation
import Postgres
import TestSupport
import Testing

/// Restarts the server: holds the gate exclusively so no other test is mid-query.
@Suite("Server restart", .serialized, .timeLimit(.minutes(3)))
struct RestartTests {
    func restartServer() async throws {
        let script = try #require(
            ProcessInfo.processInfo.environment["SJ_PG_SCRIPT"],
            "SJ_PG_SCRIPT is not set: export SJ_PG_SCRIPT=$PWD/scripts/dev-postgres.sh")
        // posix_spawn + waitpid on a plain thread: Foundation's Process did not
        // report termination reliably here, and waitpid must not block the
        // cooperative pool.
        let status: Int32 = await withCheckedContinuation { continuation in
            Thread {
                var pid: pid_t = 0
                let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/bash"), strdup(script), strdup("restart"), nil]
                defer { argv.forEach { free($0) } }
                guard posix_spawn(&pid, "/bin/bash", nil, nil, argv, environ) == 0 else {
                    continuation.resume(returning: -1)
                    return
                }
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0, errno == EINTR {}
                continuation.resume(returning: status)
            }.start()
        }
        try #require(status == 0, "\(script) restart failed with status \(status)")
    }

    @Test func poolRecoversAfterServerRestart() async throws {
        try await withTestPool(poolSize: 3, exclusive: true) { pool in
            // Open all three connections.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<3 { group.addTask { try await pool.query("SELECT pg_sleep(0.05)") } }
                try await group.waitForAll()
            }
            let before = try await pool.query("SELECT pg_postmaster_start_time()")[0].decode(0, as: Date.self)
            try await restartServer()
            // At most one retry is allowed by the contract; in practice the pool
            // notices dead idle connections and the first attempt succeeds.
            var after: Date
            do {
                after = try await pool.query("SELECT pg_postmaster_start_time()")[0].decode(0, as: Date.self)
            } catch {
                try await Task.sleep(for: .milliseconds(500))
                after = try await pool.query("SELECT pg_postmaster_start_time()")[0].decode(0, as: Date.self)
            }
            #expect(after > before, "the server really restarted")
            try await pool.ping()
            _ = try await pool.transaction { try await $0.query("SELECT 1") }
        }
    }

    @Test func listenerSurvivesServerRestart() async throws {
        let configuration = try testConfiguration()
        try await withTestPool(exclusive: true) { pool in
            let channel = uniqueName("chan")
            let listener = PostgresListener(configuration, channels: [channel], logger: testLogger)
            let collector = EventCollector()
            let consumer = Task { for await event in listener.events { await collector.add(event) } }

            func notifyUntilReceived(_ payload: String) async throws -> Bool {
                try await eventually(timeout: .seconds(30)) {
                    _ = try? await pool.query("SELECT pg_notify(\(channel), \(payload))")
                    try await Task.sleep(for: .milliseconds(100))
                    return await collector.contains(.notification(channel: channel, payload: payload))
                }
            }

            #expect(try await notifyUntilReceived("before 县"))
            try await restartServer()
            #expect(await eventually(timeout: .seconds(30)) { await collector.contains(.reconnected) })
            // LISTEN is re-issued before `.reconnected` is reported, so the first NOTIFY that gets through arrives.
            #expect(try await notifyUntilReceived("after"))
            await listener.close()
            _ = await consumer.value  // the stream finishes on close
        }
    }
}

actor EventCollector {
    private(set) var events: [PostgresListenerEvent] = []
    func add(_ event: PostgresListenerEvent) { events.append(event) }
    func contains(_ event: PostgresListenerEvent) -> Bool { events.contains(event) }
}

