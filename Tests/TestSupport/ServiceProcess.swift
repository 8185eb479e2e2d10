import Foundation
import Logging
import Postgres
import Synchronization

// What the cross-process tests (RegistryTests, NotificationTests) and
// NotificationBench share: free ports, new databases beside
// SJ_TEST_DATABASE_URL (or the bench's URL), service binaries started with
// their output in a log file, and a private dev broker.

package struct TestSupportError: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}

/// A port for a service (or a broker) a test starts, free when checked.
///
/// Not one the kernel gives out for `port: 0`: a port from the ephemeral
/// range, released here, may be handed to another socket of a test running
/// beside (an in-process HTTP sink) before the service binds it. So a random
/// port below the ephemeral range (Linux: `ip_local_port_range`, 32768 up),
/// which only an explicit bind takes, never the same one twice per process.
package func freePort() throws -> Int {
    for _ in 0..<200 {
        let candidate = Int.random(in: 20_000..<32_768)
        guard handedOutPorts.withLock({ $0.insert(candidate).inserted }) else { continue }
        if canBind(candidate) { return candidate }
    }
    throw TestSupportError("no free port below 32768 after 200 tries")
}

private let handedOutPorts = Mutex<Set<Int>>([])

private func canBind(_ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    let size = socklen_t(MemoryLayout<sockaddr_in>.size)
    return withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, size) == 0 }
    }
}

/// Creates a new, empty database on the server of `base` (a libpq URI ending
/// in `/<database>`), named `prefix` and `length` random hex digits; returns
/// its name and its URI (`base` with the database replaced).
package func makeDatabase(
    from base: String, prefix: String, length: Int = 16, logger: Logger
) async throws -> (name: String, url: String) {
    let name = prefix + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(length).lowercased()
    let admin = PostgresPool(PostgresConfiguration(connectionString: base, poolSize: 1), logger: logger)
    try await admin.execute("CREATE DATABASE \(identifier: name)")
    await admin.close()
    return (name, String(base[..<base.lastIndex(of: "/")!]) + "/" + name)
}

/// Runs `executable` with standard output and error into `log` (emptied
/// first, or appended to with `append`); `environment` nil inherits ours.
package func launchProcess(
    _ executable: URL, arguments: [String] = [], environment: [String: String]? = nil, log: URL, append: Bool = false
) throws -> Process {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let environment { process.environment = environment }
    if !append || !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
    let handle = try FileHandle(forWritingTo: log)
    if append { handle.seekToEndOfFile() }
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    return process
}

/// Waits up to `seconds` for `ready` (typically `GET /health/ready` answering
/// 200), checking every 200 ms; throws when `process` exits first or time runs out.
package func waitUntilReady(
    _ name: String, process: Process, log: URL, seconds: Int = 60, ready: () async -> Bool
) async throws {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if await ready() { return }
        guard process.isRunning else { throw TestSupportError("\(name) exited at start; log: \(log.path)") }
        try await Task.sleep(for: .milliseconds(200))
    }
    throw TestSupportError("\(name) not ready within \(seconds) s; log: \(log.path)")
}

/// A private dev broker (`sjctl dev-broker` from `bin`) on free ports, its log
/// in `logDirectory`/broker.log; returns once it prints its bootstrap address.
package func startDevBroker(bin: URL, logDirectory: URL) async throws -> (process: Process, brokers: String) {
    let broker = try await startDevBrokerWithControl(bin: bin, logDirectory: logDirectory)
    return (broker.process, broker.brokers)
}

/// `startDevBroker`, also returning its control API's address (http://127.0.0.1:PORT).
package func startDevBrokerWithControl(
    bin: URL, logDirectory: URL
) async throws -> (process: Process, brokers: String, control: String) {
    let port = try freePort(), control = try freePort()
    let log = logDirectory.appendingPathComponent("broker.log")
    let broker = try launchProcess(
        bin.appendingPathComponent("sjctl"), arguments: ["dev-broker", "--port", "\(port)", "--control-port", "\(control)"], log: log)
    let deadline = ContinuousClock.now + .seconds(30)
    while !((try? String(contentsOf: log, encoding: .utf8))?.contains("bootstrap ") ?? false) {
        guard ContinuousClock.now < deadline, broker.isRunning else { throw TestSupportError("the broker did not start; \(log.path)") }
        try await Task.sleep(for: .milliseconds(100))
    }
    return (broker, "127.0.0.1:\(port)", "http://127.0.0.1:\(control)")
}
