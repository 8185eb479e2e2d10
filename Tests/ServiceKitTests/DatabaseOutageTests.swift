import Foundation
import TestSupport
import Testing

/// PostgreSQL goes away under a running service: `/health/ready` answers
/// 503 naming the database (and only it), the process stays up, and it is
/// ready again once the server is back. Disruptive: it stops the shared
/// server, so scripts/test.sh runs it alone, after every other test.
@Suite("Database outage", .serialized)
struct DatabaseOutageTests {
    /// `scripts/dev-postgres.sh COMMAND`, through posix_spawn and waitpid on a
    /// plain thread: Foundation's Process does not report the exit of a script
    /// that leaves a daemon behind (pg_ctl start), and waitpid must not block
    /// the cooperative pool.
    func pg(_ command: String) async throws {
        let script = try #require(ProcessInfo.processInfo.environment["SJ_PG_SCRIPT"], "run with `make test` (SJ_PG_SCRIPT)")
        let status: Int32 = await withCheckedContinuation { continuation in
            Thread {
                var pid: pid_t = 0
                let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/bash"), strdup(script), strdup(command), nil]
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
        try #require(status == 0, "dev-postgres.sh \(command) failed with status \(status)")
    }

    @Test func readyAnswers503NamingTheDatabaseWhileItIsDownAnd200After() async throws {
        let environment = try TestEnvironment()
        let port = try freePort()
        let process = try await environment.launch("registry", ["SJ_HTTP_PORT": "\(port)", "SJ_READY_TIMEOUT_MS": "1000"])
        defer { if process.isRunning { process.terminate() } }
        let ready = URL(string: "http://127.0.0.1:\(port)/health/ready")!
        try await waitUntil("ready at first", timeout: .seconds(60)) { (try? await TestClient.fetch(ready))?.status == 200 }

        try await pg("stop")
        var restarted = false
        do {
            try await waitUntil("503 naming the database", timeout: .seconds(60)) {
                guard let reply = try? await TestClient.fetch(ready), reply.status == 503 else { return false }
                let body = try reply.json()
                let checks = body["checks"] as? [String: String]
                return checks?["database"] != "ok" && checks?["broker"] == "ok"
                    && (body["detail"] as? String)?.contains("database") == true
            }
            #expect(process.isRunning, "the service keeps running while its database is down")
            let live = try await TestClient.fetch(URL(string: "http://127.0.0.1:\(port)/health/live")!)
            #expect(live.status == 200)
            try await pg("start")
            restarted = true
        } catch {
            if !restarted { try? await pg("start") }
            throw error
        }
        try await waitUntil("ready again", timeout: .seconds(60)) {
            guard let reply = try? await TestClient.fetch(ready) else { return false }
            return reply.status == 200 && reply.text == #"{"status":"ready","checks":{"database":"ok","broker":"ok"}}"#
        }
        kill(process.processIdentifier, SIGTERM)
        #expect(await waitForExit(process, timeout: .seconds(30)))
        #expect(process.terminationStatus == 0)
    }
}
