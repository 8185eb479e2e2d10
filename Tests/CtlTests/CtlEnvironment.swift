import Domain
import Foundation
import Kafka
import Logging

/// What the tests need from scripts/test.sh: the built executables
/// (SJ_BIN_DIR), the local broker (SJ_KAFKA_BROKERS) and PostgreSQL
/// (SJ_TEST_DATABASE_URL).
enum CtlEnv {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    static func brokers() throws -> String { try value("SJ_KAFKA_BROKERS") }
    static func binDirectory() throws -> URL { URL(fileURLWithPath: try value("SJ_BIN_DIR")) }
    /// The tests' database; each outbox test makes a database of its own beside it.
    static func testDatabaseURL() throws -> String { try value("SJ_TEST_DATABASE_URL") }

    private static func value(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw Missing(description: "\(name) is not set: run the tests with scripts/test.sh")
        }
        return value
    }

    static let logger: Logger = {
        var logger = Logger(label: "ctl-tests")
        logger.logLevel = .warning
        return logger
    }()

    /// A consumer-group name of this test alone, so its dead-letter topic is too.
    static func uniqueGroup() -> String { "ctltest-\(UUID().uuidString.prefix(8).lowercased())" }
}

// MARK: - running sjctl

struct SjctlResult: CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String
    var timedOut: Bool

    var lines: [String] { stdout.split(separator: "\n").map(String.init) }

    var description: String { "exit \(status)\(timedOut ? " (timed out)" : "")\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}

/// Runs the built `sjctl` with `arguments` (SJ_KAFKA_BROKERS in its
/// environment, plus `environment`), collecting its output; killed after `timeout`.
func sjctl(
    _ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(60)
) async throws -> SjctlResult {
    let child = try ChildProcess(
        executable: try CtlEnv.binDirectory().appendingPathComponent("sjctl"), arguments: arguments,
        environment: ProcessInfo.processInfo.environment.merging(environment) { $1 })
    return await child.result(timeout: timeout)
}

/// One child process and its two output pipes, read to their end off the
/// cooperative pool (a full pipe would otherwise block the child).
private final class ChildProcess: @unchecked Sendable {
    private let process = Process()
    private let out = Pipe()
    private let err = Pipe()

    init(executable: URL, arguments: [String], environment: [String: String]) throws {
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    func result(timeout: Duration) async -> SjctlResult {
        let timedOut = Flag()
        let finished = Flag()
        let (seconds, attoseconds) = timeout.components
        DispatchQueue.global().asyncAfter(
            deadline: .now() + .milliseconds(Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
        ) { [process] in
            if !finished.isSet && process.isRunning {
                timedOut.set()
                process.terminate()
            }
        }
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread { [self] in
                let errData = DataBox()
                let errRead = DispatchGroup()
                errRead.enter()
                Thread.detachNewThread {
                    errData.set(self.err.fileHandleForReading.readDataToEndOfFile())
                    errRead.leave()
                }
                let outData = out.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                errRead.wait()
                finished.set()
                continuation.resume(
                    returning: SjctlResult(
                        status: process.terminationStatus,
                        stdout: String(decoding: outData, as: UTF8.self),
                        stderr: String(decoding: errData.data, as: UTF8.self),
                        timedOut: timedOut.isSet))
            }
        }
    }
}

private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

private final class DataBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Data?
    func set(_ data: Data) { lock.withLock { stored = data } }
    var data: Data { lock.withLock { stored ?? Data() } }
}

// MARK: - dead letters

/// A dead letter the test produced, and where it landed.
struct SampleDeadLetter {
    var key: [UInt8]
    var value: [UInt8]
    var ceId: String
    var headers: [KafkaHeader]
    var dlqPartition: Int32
    var dlqOffset: Int64
    var originalPartition: Int32
    var originalOffset: Int64

    /// The headers the original record had (what a replay must carry).
    var originalHeaders: [KafkaHeader] { headers.filter { !$0.key.hasPrefix("dlq-") } }
    var position: String { "\(dlqPartition):\(dlqOffset)" }
    var keyString: String { String(decoding: key, as: UTF8.self) }
}

enum DeadLetters {
    static let ceType = "cn.gov.fangxian.shuangjian.registry.unit.admitted.v1"
    static let error = "decode cn.gov.fangxian.shuangjian.registry.unit.admitted.v1: missing field \"name\""

    /// Publishes `count` dead letters of `Topic.registryUnits` for `group`, the
    /// way a consumer gives up on records (CloudEvents binary-mode headers plus
    /// the dlq-* ones). `value` overrides the JSON value; `withOriginalTopic:
    /// false` leaves out the dlq-original-topic header.
    static func produce(
        _ count: Int, group: String, value: [UInt8]? = nil, withOriginalTopic: Bool = true
    ) async throws -> [SampleDeadLetter] {
        let dlq = Topic.deadLetter(of: Topic.registryUnits, group: group)
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(brokers: try CtlEnv.brokers(), clientId: "ctl-tests"),
            logger: CtlEnv.logger)
        var samples: [SampleDeadLetter] = []
        for index in 0..<count {
            let unit = "unit-\(UUID().uuidString.prefix(8).lowercased())"
            let ceId = UUID().uuidString.lowercased()
            let originalPartition = Int32(index % 3)
            let originalOffset = Int64(100 + index)
            var headers = [
                KafkaHeader(key: "ce_specversion", value: "1.0"),
                KafkaHeader(key: "ce_id", value: ceId),
                KafkaHeader(key: "ce_source", value: "/shuangjian/registry"),
                KafkaHeader(key: "ce_type", value: ceType),
                KafkaHeader(key: "ce_subject", value: "units/\(unit)"),
                KafkaHeader(key: "ce_time", value: "2025-03-01T08:00:00Z"),
                KafkaHeader(key: "content-type", value: "application/json"),
            ]
            if withOriginalTopic { headers.append(KafkaHeader(key: "dlq-original-topic", value: Topic.registryUnits)) }
            headers += [
                KafkaHeader(key: "dlq-original-partition", value: String(originalPartition)),
                KafkaHeader(key: "dlq-original-offset", value: String(originalOffset)),
                KafkaHeader(key: "dlq-consumer-group", value: group),
                KafkaHeader(key: "dlq-error", value: error),
                KafkaHeader(key: "dlq-attempts", value: "5"),
            ]
            let body = value ?? Array(#"{"id":"\#(unit)","kind":"county-unit","seq":\#(index)}"#.utf8)
            let report = try await producer.send(
                KafkaRecord(topic: dlq, key: Array(unit.utf8), value: body, headers: headers))
            samples.append(
                SampleDeadLetter(
                    key: Array(unit.utf8), value: body, ceId: ceId, headers: headers,
                    dlqPartition: report.partition, dlqOffset: report.offset,
                    originalPartition: originalPartition, originalOffset: originalOffset))
        }
        await producer.close()
        return samples
    }

    /// Every record of `Topic.registryUnits` whose ce_id is one of `ceIds`,
    /// read by a fresh consumer group from the beginning up to the end the
    /// topic has now.
    static func republished(ceIds: Set<String>) async throws -> [KafkaMessage] {
        let brokers = try CtlEnv.brokers()
        let admin = try KafkaAdmin(brokers: brokers, logger: CtlEnv.logger)
        let partitions = try await admin.partitionCount(of: Topic.registryUnits) ?? 0
        var remaining: [Int32: Int64] = [:]  // partition → last offset to read
        for partition in 0..<partitions {
            let marks = try await admin.watermarks(topic: Topic.registryUnits, partition: partition)
            if marks.high > marks.low { remaining[partition] = marks.high - 1 }
        }
        guard !remaining.isEmpty else { return [] }
        var configuration = KafkaConsumerConfiguration(
            brokers: brokers, groupId: "ctltest-verify-\(UUID().uuidString.prefix(8))", topics: [Topic.registryUnits])
        configuration.properties["session.timeout.ms"] = "6000"
        configuration.properties["heartbeat.interval.ms"] = "500"
        let consumer = try KafkaConsumer(configuration: configuration, logger: CtlEnv.logger)
        do {
            let found = try await readUntilEnd(consumer, remaining: remaining, ceIds: ceIds)
            await consumer.close()
            return found
        } catch {
            await consumer.close()
            throw error
        }
    }

    private static func readUntilEnd(
        _ consumer: KafkaConsumer, remaining: [Int32: Int64], ceIds: Set<String>
    ) async throws -> [KafkaMessage] {
        try await withThrowingTaskGroup(of: [KafkaMessage]?.self) { group in
            group.addTask {
                var found: [KafkaMessage] = []
                var remaining = remaining
                for try await message in consumer {
                    if let id = message.header("ce_id")?.value.map({ String(decoding: $0, as: UTF8.self) }), ceIds.contains(id) {
                        found.append(message)
                    }
                    if let last = remaining[message.partition], message.offset >= last {
                        remaining[message.partition] = nil
                        if remaining.isEmpty { break }
                    }
                }
                return found
            }
            group.addTask {
                try await Task.sleep(for: .seconds(60))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let found = first else {
                throw CtlEnv.Missing(description: "\(Topic.registryUnits) was not read to its end within 60 s")
            }
            return found
        }
    }
}

extension KafkaMessage {
    func text(_ header: String) -> String? { self.header(header)?.value.map { String(decoding: $0, as: UTF8.self) } }
}

/// The JSON objects of `--json` output, one per line.
func jsonLines(_ output: String) throws -> [[String: Any]] {
    try output.split(separator: "\n").map { line in
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw CtlEnv.Missing(description: "not a JSON object: \(line)")
        }
        return object
    }
}
