import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Kafka
import Logging
import Postgres
import TestSupport
import Testing

let flowLogger: Logger = {
    var logger = Logger(label: "eventflow-tests")
    logger.logLevel = .warning
    return logger
}()

/// What `make test` provides: the broker, its control API, the built
/// executables and a PostgreSQL server. Each test gets its own database and
/// its own topic, so tests run in parallel without seeing each other.
struct FlowEnvironment {
    let brokers: String
    let control: String
    let binDirectory: URL
    let baseDatabaseURL: String

    init() throws {
        let env = ProcessInfo.processInfo.environment
        guard let brokers = env["SJ_KAFKA_BROKERS"], let control = env["SJ_BROKER_CONTROL"],
              let bin = env["SJ_BIN_DIR"], let database = env["SJ_TEST_DATABASE_URL"]
        else {
            throw FlowTestError("SJ_KAFKA_BROKERS, SJ_BROKER_CONTROL, SJ_BIN_DIR and SJ_TEST_DATABASE_URL must be set: run `make test`")
        }
        self.brokers = brokers
        self.control = control
        self.binDirectory = URL(fileURLWithPath: bin)
        self.baseDatabaseURL = database
    }

    /// A new empty database; returns its connection string.
    func makeDatabase() async throws -> String {
        let name = "eventflow_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let admin = PostgresPool(PostgresConfiguration(connectionString: baseDatabaseURL, poolSize: 1), logger: flowLogger)
        try await admin.execute("CREATE DATABASE \(identifier: name)")
        await admin.close()
        guard let slash = baseDatabaseURL.lastIndex(of: "/") else { throw FlowTestError("unexpected URL \(baseDatabaseURL)") }
        return baseDatabaseURL[..<slash] + "/" + name
    }

    /// A new topic on the dev broker.
    func makeTopic(partitions: Int = 4) async throws -> String {
        let name = "shuangjian.test." + UUID().uuidString.prefix(8).lowercased()
        var request = URLRequest(url: URL(string: control + "/topics")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: ["name": name, "partitions": partitions])
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let status = (response as? HTTPURLResponse)?.statusCode, (200..<300).contains(status) else {
            throw FlowTestError("create topic \(name): \(String(decoding: data, as: UTF8.self))")
        }
        return name
    }

    func pool(_ database: String) -> PostgresPool {
        PostgresPool(PostgresConfiguration(connectionString: database, poolSize: 2), logger: flowLogger)
    }

    /// Starts the probe executable with `arguments`; its output goes to a log file.
    func launchProbe(_ arguments: [String], environment: [String: String] = [:], log: URL? = nil) throws -> Process {
        try launch("EventFlowProbe", arguments, environment: environment, log: log)
    }

    /// Output to `log` (appended to) or a new temporary file.
    func launch(
        _ executable: String, _ arguments: [String], stdout: FileHandle? = nil, environment extra: [String: String] = [:],
        log: URL? = nil
    ) throws -> Process {
        let process = Process()
        process.executableURL = binDirectory.appendingPathComponent(executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SJ_KAFKA_BROKERS"] = brokers
        environment.merge(extra) { $1 }
        process.environment = environment
        let log = log ?? FileManager.default.temporaryDirectory.appendingPathComponent("\(executable)-\(UUID().uuidString.prefix(8)).log")
        if !FileManager.default.fileExists(atPath: log.path) { FileManager.default.createFile(atPath: log.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = stdout ?? handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// Runs the probe to completion; a non-zero exit fails.
    func runProbe(_ arguments: [String]) async throws {
        let process = try launchProbe(arguments)
        guard await waitForExit(process, timeout: .seconds(120)) else {
            process.terminate()
            throw FlowTestError("probe \(arguments.first ?? "") did not finish within 120 s")
        }
        guard process.terminationStatus == 0 else {
            throw FlowTestError("probe \(arguments) exited with \(process.terminationStatus)")
        }
    }
}

struct FlowTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}


func kill9(_ process: Process) async {
    kill(process.processIdentifier, SIGKILL)
    _ = await waitForExit(process, timeout: .seconds(10))
}

/// Reads `topic` from the beginning with a fresh group until `count` records
/// arrived or `seconds` passed; never commits.
func readTopic(_ topic: String, brokers: String, atLeast count: Int, seconds: Int = 30) async throws -> [KafkaMessage] {
    var configuration = KafkaConsumerConfiguration(brokers: brokers, groupId: "reader-" + UUID().uuidString, topics: [topic])
    configuration.properties["session.timeout.ms"] = "6000"
    let consumer = try KafkaConsumer(configuration: configuration, logger: flowLogger)
    var messages: [KafkaMessage] = []
    let deadline = ContinuousClock.now + .seconds(seconds)
    while messages.count < count && ContinuousClock.now < deadline {
        guard let batch = try await consumer.nextBatch() else { break }
        messages += batch
    }
    await consumer.close()
    return messages
}

extension KafkaMessage {
    func text(_ header: String) -> String? {
        self.header(header).flatMap { $0.value }.map { String(decoding: $0, as: UTF8.self) }
    }
}

extension PostgresPool {
    func count(_ query: PostgresQuery) async throws -> Int {
        try await self.query(query)[0].decode(0, as: Int.self)
    }
}
