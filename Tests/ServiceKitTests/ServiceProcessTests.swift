import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The four services as separate processes: each starts, answers
/// /health/live, and exits 0 on SIGTERM; a bad variable stops it at start.
@Suite struct ServiceProcessTests {
    static let services = [("registry", 0), ("scheduling", 1), ("inspection", 2), ("notification", 3)]

    @Test(arguments: services)
    func startsAnswersLiveAndStopsOnSIGTERM(service: String, offset: Int) async throws {
        let environment = try TestEnvironment()
        let port = 18_181 + offset
        let process = try environment.launch(service, ["SJ_HTTP_PORT": "\(port)"])
        defer { if process.isRunning { process.terminate() } }

        let status = try await waitForHTTP(URL(string: "http://127.0.0.1:\(port)/health/live")!, seconds: 60)
        #expect(status == 200)

        kill(process.processIdentifier, SIGTERM)
        let exited = await waitForExit(process, seconds: 30)
        #expect(exited, "\(service) did not stop within 30 s of SIGTERM")
        #expect(process.terminationStatus == 0)
    }

    @Test func invalidVariableStopsTheServiceNamingIt() async throws {
        let environment = try TestEnvironment()
        let stderr = Pipe()
        let process = try environment.launch("registry", ["SJ_HTTP_PORT": "not-a-port"], stderr: stderr)
        let exited = await waitForExit(process, seconds: 30)
        #expect(exited)
        #expect(process.terminationStatus == 78)
        let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(message.contains("SJ_HTTP_PORT=not-a-port"))
    }
}

/// Where the built executables and the test database are, from scripts/test.sh.
struct TestEnvironment {
    let binDirectory: URL
    let databaseURL: String

    init() throws {
        let env = ProcessInfo.processInfo.environment
        guard let bin = env["SJ_BIN_DIR"], let database = env["SJ_TEST_DATABASE_URL"] else {
            throw TestSetupError("SJ_BIN_DIR and SJ_TEST_DATABASE_URL must be set: run the tests with `make test`")
        }
        binDirectory = URL(fileURLWithPath: bin)
        databaseURL = database
    }

    func launch(_ executable: String, _ variables: [String: String], stderr: Pipe? = nil) throws -> Process {
        let process = Process()
        process.executableURL = binDirectory.appendingPathComponent(executable)
        var environment = ProcessInfo.processInfo.environment
        environment["SJ_DATABASE_URL"] = databaseURL
        environment["SJ_LOG_LEVEL"] = "warning"
        environment.merge(variables) { $1 }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = stderr ?? FileHandle.nullDevice
        try process.run()
        return process
    }
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

func waitForExit(_ process: Process, seconds: Int) async -> Bool {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while process.isRunning && ContinuousClock.now < deadline {
        try? await Task.sleep(for: .milliseconds(100))
    }
    return !process.isRunning
}
