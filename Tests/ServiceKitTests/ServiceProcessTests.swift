import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import TestSupport
import Testing
@testable import ServiceKit

/// The four services as separate processes: each starts, answers
/// /health/live, and exits 0 on SIGTERM; a bad variable stops it at start.
@Suite struct ServiceProcessTests {
    /// Free ports, not fixed ones: another checkout may be testing beside this one.
    @Test(arguments: ["registry", "scheduling", "inspection", "notification"])
    func startsAnswersLiveAndStopsOnSIGTERM(service: String) async throws {
        let environment = try TestEnvironment()
        let port = try freePort()
        let process = try await environment.launch(service, ["SJ_HTTP_PORT": "\(port)"])
        defer { if process.isRunning { process.terminate() } }

        let status = try await waitForHTTP(URL(string: "http://127.0.0.1:\(port)/health/live")!, seconds: 60)
        #expect(status == 200)

        kill(process.processIdentifier, SIGTERM)
        let exited = await waitForExit(process, timeout: .seconds(30))
        #expect(exited, "\(service) did not stop within 30 s of SIGTERM")
        #expect(process.terminationStatus == 0)
    }

    @Test func invalidVariableStopsTheServiceNamingIt() async throws {
        let environment = try TestEnvironment()
        let stderr = Pipe()
        let process = try await environment.launch("registry", ["SJ_HTTP_PORT": "not-a-port"], stderr: stderr)
        let exited = await waitForExit(process, timeout: .seconds(30))
        #expect(exited)
        #expect(process.terminationStatus == 78)
        let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(message.contains("SJ_HTTP_PORT=not-a-port"))
    }

    @Test func aMissingJWTSecretStopsTheServiceNamingIt() async throws {
        let environment = try TestEnvironment()
        let stderr = Pipe()
        let process = try await environment.launch("registry", [:], removing: ["SJ_JWT_SECRET"], stderr: stderr)
        let exited = await waitForExit(process, timeout: .seconds(30))
        #expect(exited)
        #expect(process.terminationStatus == 78)
        let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(message.contains("SJ_JWT_SECRET is missing"))
    }

    @Test func readyWithTheDatabaseAndTheBrokerUp() async throws {
        let environment = try TestEnvironment()
        let port = try freePort()
        let process = try await environment.launch("scheduling", ["SJ_HTTP_PORT": "\(port)"])
        defer { stop(process) }
        _ = try await waitForHTTP(URL(string: "http://127.0.0.1:\(port)/health/live")!, seconds: 60)
        let ready = try await TestClient.fetch(URL(string: "http://127.0.0.1:\(port)/health/ready")!)
        #expect(ready.status == 200, "\(ready.text)")
        #expect(ready.text == #"{"status":"ready","checks":{"database":"ok","broker":"ok"}}"#)
    }

    @Test func notReadyWithADeadBrokerNamingIt() async throws {
        let environment = try TestEnvironment()
        let port = try freePort()
        // Port 1 on loopback: nothing listens there, connections are refused.
        let process = try await environment.launch(
            "inspection", ["SJ_HTTP_PORT": "\(port)", "SJ_KAFKA_BROKERS": "127.0.0.1:1", "SJ_READY_TIMEOUT_MS": "1000"])
        defer { stop(process) }
        _ = try await waitForHTTP(URL(string: "http://127.0.0.1:\(port)/health/live")!, seconds: 60)
        let ready = try await TestClient.fetch(URL(string: "http://127.0.0.1:\(port)/health/ready")!)
        #expect(ready.status == 503)
        #expect(ready.header("Content-Type") == "application/problem+json")
        let body = try ready.json()
        #expect((body["detail"] as? String)?.contains("broker") == true)
        let checks = body["checks"] as? [String: String]
        #expect(checks?["database"] == "ok")
        #expect(checks?["broker"] != "ok")
    }

    @Test func metricsRequestIDsAndJSONLogsOfARunningService() async throws {
        let environment = try TestEnvironment()
        let logFile = FileManager.default.temporaryDirectory.appendingPathComponent("servicekit-\(UUID()).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: logFile) }
        let port = try freePort()
        let process = try await environment.launch(
            "notification", ["SJ_HTTP_PORT": "\(port)", "SJ_LOG_LEVEL": "info"],
            stdout: try FileHandle(forWritingTo: logFile))
        defer { stop(process) }
        let base = "http://127.0.0.1:\(port)"
        _ = try await waitForHTTP(URL(string: "\(base)/health/live")!, seconds: 60)

        let missing = try await TestClient.fetch(
            URL(string: "\(base)/v1/nothing-here")!, headers: ["X-Request-Id": "trace-4711"])
        #expect(missing.status == 404)
        #expect(missing.header("X-Request-Id") == "trace-4711")
        #expect(missing.header("Content-Type") == "application/problem+json")

        let metrics = try await TestClient.fetch(URL(string: "\(base)/metrics")!)
        #expect(metrics.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(metrics.text.contains(#"http_requests_total{method="GET",route="/health/live",status="200"}"#))
        #expect(metrics.text.contains(#"http_requests_total{method="GET",route="unmatched",status="404"}"#))
        #expect(metrics.text.contains("http_request_duration_seconds_bucket"))

        // The access log line of the 404, as JSON with the request id.
        var line: [String: Any]?
        for _ in 0..<50 where line == nil {
            let lines = String(decoding: (try? Data(contentsOf: logFile)) ?? Data(), as: UTF8.self).split(separator: "\n")
            line = lines.lazy.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                .first { $0["request_id"] as? String == "trace-4711" && $0["msg"] as? String == "request" }
            if line == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(line?["status"] as? String == "404")
        #expect(line?["path"] as? String == "/v1/nothing-here")
        #expect(line?["service"] as? String == "notification")
        #expect(line?["level"] as? String == "info")
    }
}

/// `sjctl token`: what it prints verifies with the services' key.
@Suite struct TokenCommandTests {
    @Test func printsATokenSignedWithSJ_JWT_SECRET() async throws {
        let environment = try TestEnvironment()
        let output = try await environment.runSjctl(
            ["token", "--role", "unit", "--unit", "u-07", "--ttl", "30m"], variables: ["SJ_JWT_SECRET": environment.secret])
        #expect(output.status == 0, "\(output.stderr)")
        let token = output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let principal = try TokenVerifier(secret: try JWTSecret(environment.secret)).verify(token)
        #expect(principal == Principal(subject: "sjctl-unit-u-07", role: .unit, unitId: "u-07"))
        #expect(throws: TokenError.expired) {
            try TokenVerifier(secret: try JWTSecret(environment.secret)).verify(token, now: Date().addingTimeInterval(1800 + 60))
        }
    }

    @Test func readsTheKeyFromDevJWTSecretAboveTheWorkingDirectory() async throws {
        let environment = try TestEnvironment()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sjctl-\(UUID())")
        let nested = root.appendingPathComponent("a/b")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent(".dev"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let key = "file-key-file-key-file-key-file-key-0042"
        try Data((key + "\n").utf8).write(to: root.appendingPathComponent(".dev/jwt-secret"))

        let output = try await environment.runSjctl(
            ["token", "--role", "office", "--subject", "office-clerk"], removing: ["SJ_JWT_SECRET"], directory: nested)
        #expect(output.status == 0, "\(output.stderr)")
        let principal = try TokenVerifier(secret: try JWTSecret(key)).verify(
            output.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(principal == Principal(subject: "office-clerk", role: .office))
    }

    @Test func explainsWhatIsMissing() async throws {
        let environment = try TestEnvironment()
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("sjctl-empty-\(UUID())")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }

        let noKey = try await environment.runSjctl(["token", "--role", "ops"], removing: ["SJ_JWT_SECRET"], directory: empty)
        #expect(noKey.status != 0)
        #expect(noKey.stderr.contains("SJ_JWT_SECRET"))

        let noUnit = try await environment.runSjctl(["token", "--role", "unit"], variables: ["SJ_JWT_SECRET": environment.secret])
        #expect(noUnit.status != 0)
        #expect(noUnit.stderr.contains("--unit"))

        let badRole = try await environment.runSjctl(["token", "--role", "admin"], variables: ["SJ_JWT_SECRET": environment.secret])
        #expect(badRole.status != 0)
        #expect(badRole.stderr.contains("county-system"))

        let badTTL = try await environment.runSjctl(
            ["token", "--role", "ops", "--ttl", "forever"], variables: ["SJ_JWT_SECRET": environment.secret])
        #expect(badTTL.status != 0)
        #expect(badTTL.stderr.contains("--ttl"))
    }

    @Test(arguments: [("8h", 8 * 3600), ("30m", 1800), ("90s", 90), ("1h30m", 5400), ("2d", 172_800)])
    func durations(text: String, seconds: Int64) throws {
        #expect(DurationText.parse(text) == .seconds(seconds))
    }

    @Test(arguments: ["", "8", "h", "8x", "-1h", "0s", "1h30", "999999999999d"])
    func badDurations(text: String) {
        #expect(DurationText.parse(text) == nil)
    }
}

/// Where the built executables and the test database are, from scripts/test.sh.
struct TestEnvironment {
    let binDirectory: URL
    let databaseURL: String
    /// The services' JWT key: scripts/test.sh exports a fixed one.
    let secret: String

    init() throws {
        let env = ProcessInfo.processInfo.environment
        guard let bin = env["SJ_BIN_DIR"], let database = env["SJ_TEST_DATABASE_URL"] else {
            throw TestSetupError("SJ_BIN_DIR and SJ_TEST_DATABASE_URL must be set: run the tests with `make test`")
        }
        binDirectory = URL(fileURLWithPath: bin)
        databaseURL = database
        secret = env["SJ_JWT_SECRET"] ?? "servicekit-tests-jwt-secret-0123456789abcdef"
    }

    func launch(
        _ executable: String, _ variables: [String: String], removing: [String] = [],
        stdout: FileHandle? = nil, stderr: Pipe? = nil
    ) async throws -> Process {
        let process = Process()
        process.executableURL = binDirectory.appendingPathComponent(executable)
        var environment = ProcessInfo.processInfo.environment
        // Each launch a new, empty database of its own, as in production (the
        // services' migrations share version numbers); never a database that
        // `make run` or an earlier run left behind.
        environment["SJ_DATABASE_URL"] = try await makeDatabase(
            from: databaseURL, prefix: "servicekit_\(executable)_", logger: Logger(label: "servicekit-tests")).url
        environment["SJ_LOG_LEVEL"] = "warning"
        environment["SJ_JWT_SECRET"] = secret
        environment.merge(variables) { $1 }
        for name in removing { environment[name] = nil }
        process.environment = environment
        process.standardOutput = stdout ?? FileHandle.nullDevice
        process.standardError = stderr ?? FileHandle.nullDevice
        try process.run()
        return process
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs sjctl to completion (small outputs: read after exit).
    func runSjctl(
        _ arguments: [String], variables: [String: String] = [:], removing: [String] = [], directory: URL? = nil
    ) async throws -> Output {
        let process = Process()
        process.executableURL = binDirectory.appendingPathComponent("sjctl")
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment.merge(variables) { $1 }
        for name in removing { environment[name] = nil }
        process.environment = environment
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        guard await waitForExit(process, timeout: .seconds(30)) else {
            process.terminate()
            throw TestSetupError("sjctl \(arguments) did not finish")
        }
        return Output(
            status: process.terminationStatus,
            stdout: String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self),
            stderr: String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }
}

/// SIGTERM, so a failed expectation leaves no service behind (the graceful
/// stop itself is checked by startsAnswersLiveAndStopsOnSIGTERM).
func stop(_ process: Process) {
    if process.isRunning { kill(process.processIdentifier, SIGTERM) }
}

struct TestSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func waitForHTTP(_ url: URL, seconds: Int) async throws -> Int {
    let deadline = ContinuousClock.now + .seconds(seconds)
    var lastError: (any Error)?
    while ContinuousClock.now < deadline {
        do {
            let (_, response) = try await URLSession.shared.data(from: url)
            return (response as? HTTPURLResponse)?.statusCode ?? 0
        } catch {
            lastError = error
            try await Task.sleep(for: .milliseconds(200))
        }
    }
    throw TestSetupError("\(url) did not answer within \(seconds) s: \(String(describing: lastError))")
}

