import Foundation
import Kafka
import Logging
import Testing

/// Integration tests against a running `sjctl dev-broker` (DESIGN.md §7).
/// Serialized: one test takes the broker down, which would disturb others.
/// Each test uses its own topics and groups (`unique`).
@Suite(.serialized)
struct KafkaIntegrationTests {}

struct MissingEnvironment: Error, CustomStringConvertible {
    var variable: String
    var description: String {
        "\(variable) is not set: start `sjctl dev-broker` and run with SJ_KAFKA_BROKERS=127.0.0.1:9092 SJ_BROKER_CONTROL=http://127.0.0.1:9093"
    }
}

enum TestEnv {
    static func brokers() throws -> String { try value("SJ_KAFKA_BROKERS") }
    static func control() throws -> DevBrokerControl { DevBrokerControl(base: try value("SJ_BROKER_CONTROL")) }

    private static func value(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw MissingEnvironment(variable: name)
        }
        return value
    }

    static let logger: Logger = {
        var logger = Logger(label: "kafka-tests")
        logger.logLevel = ProcessInfo.processInfo.environment["SJ_KAFKA_DEBUG"] == nil ? .warning : .debug
        return logger
    }()

    static func unique(_ prefix: String) -> String {
        "test.\(prefix).\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// A topic with `partitions`, created through the dev broker's control API.
    static func topic(_ prefix: String, partitions: Int32) async throws -> String {
        let name = unique(prefix)
        try await control().createTopic(name, partitions: partitions)
        return name
    }

    static func producer(_ configure: (inout KafkaProducerConfiguration) -> Void = { _ in }) throws -> KafkaProducer {
        var configuration = KafkaProducerConfiguration(brokers: try brokers(), clientId: "kafka-tests")
        configure(&configuration)
        return try KafkaProducer(configuration: configuration, logger: logger)
    }

    static func consumer(topic: String, group: String) throws -> KafkaConsumer {
        var configuration = KafkaConsumerConfiguration(brokers: try brokers(), groupId: group, topics: [topic])
        // librdkafka's mock group waits session.timeout − 1 s for members to
        // rejoin before a rebalance completes; short timeouts keep tests fast.
        configuration.properties["session.timeout.ms"] = "6000"
        configuration.properties["heartbeat.interval.ms"] = "500"
        // SJ_KAFKA_DEBUG=cgrp,... turns on librdkafka's debug contexts.
        if let debug = ProcessInfo.processInfo.environment["SJ_KAFKA_DEBUG"] { configuration.properties["debug"] = debug }
        return try KafkaConsumer(configuration: configuration, logger: logger)
    }
}

struct TimedOut: Error, CustomStringConvertible {
    var description: String
}

/// Reads `count` messages, failing after `timeout`. The consumer's iterator
/// checks for cancellation between polls, so the timeout ends it.
func collect(_ consumer: KafkaConsumer, count: Int, timeout: Duration = .seconds(30)) async throws -> [KafkaMessage] {
    try await withThrowingTaskGroup(of: [KafkaMessage]?.self) { group in
        group.addTask {
            var messages: [KafkaMessage] = []
            for try await message in consumer {
                messages.append(message)
                if messages.count >= count { break }
            }
            return messages
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let messages = first else {
            throw TimedOut(description: "fewer than \(count) messages within \(timeout)")
        }
        return messages
    }
}

actor MessageBox {
    var messages: [KafkaMessage] = []
    func append(_ message: KafkaMessage) { messages.append(message) }
}

extension KafkaMessage {
    var keyString: String? { key.map { String(decoding: $0, as: UTF8.self) } }
    var valueString: String? { value.map { String(decoding: $0, as: UTF8.self) } }
}
