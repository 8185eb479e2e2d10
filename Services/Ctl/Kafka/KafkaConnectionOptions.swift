import ArgumentParser
import Foundation
import Kafka
import Logging
import ServiceKit

/// The Kafka options every sjctl command that talks to a cluster takes. The
/// connection's security and tuning come from the same `SJ_KAFKA_*`
/// variables as the services' (TLS, SASL with a password file, ...), so
/// sjctl reaches every cluster the services reach; `--brokers` overrides
/// `SJ_KAFKA_BROKERS`.
struct KafkaConnectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Kafka bootstrap servers, HOST:PORT[,...].",
        discussion: "Default: $SJ_KAFKA_BROKERS, else 127.0.0.1:9092. TLS and SASL: the SJ_KAFKA_* variables (docs/operations.md)."))
    var brokers: String?

    @Option(help: "Seconds to wait for Kafka (metadata, offsets, each delivery) before giving up.")
    var timeout: Int = 10

    @Flag(help: "Log librdkafka's messages to stderr.")
    var verbose = false

    func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be at least 1 second") }
        if let brokers, brokers.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--brokers is empty")
        }
    }

    /// The settings from `SJ_KAFKA_*` with `--brokers` applied; on a
    /// problem, prints every one (naming its variable) and exits 78, as a
    /// service does.
    func settings(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> KafkaClientSettings {
        var reader = EnvironmentReader(environment)
        var settings = reader.kafkaSettings()
        guard reader.problems.isEmpty else {
            FileHandle.standardError.write(Data(("sjctl: \(ConfigurationError(problems: reader.problems))\n").utf8))
            throw ExitCode(78)  // EX_CONFIG
        }
        if let brokers { settings.brokers = brokers }
        return settings
    }

    var timeoutDuration: Duration { .seconds(timeout) }

    /// Logs to stderr (stdout carries only results); librdkafka's
    /// per-connection messages only with `--verbose`.
    func logger(label: String) -> Logger {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: label)
        logger.logLevel = verbose ? .info : .critical
        return logger
    }
}
