import Foundation
import Kafka

/// A service's configuration, read from environment variables (DESIGN.md §5).
/// Every variable but the JWT secret has a local default so `make run` needs
/// nothing else; a value that is present but invalid, or a required one that
/// is missing, is an error that names the variable. Secrets may come from
/// files (`NAME_FILE`, see `EnvironmentReader.secret`).
public struct ServiceConfiguration: Sendable {
    public var serviceName: String
    public var httpHost: String
    public var httpPort: Int
    /// libpq URI or `key=value` string, with the password of
    /// `SJ_DATABASE_PASSWORD_FILE` already in it. Never logged as is: see `description`.
    public var databaseURL: String
    public var databasePoolSize: Int
    /// How every Kafka client of the service reaches the cluster (`SJ_KAFKA_*`).
    public var kafka: KafkaClientSettings
    public var logLevel: String
    public var shutdownTimeout: Duration
    /// The HS256 key of bearer tokens (`SJ_JWT_SECRET`). Required: a default
    /// would be a key everyone knows. Its description never shows the value.
    public var jwtSecret: JWTSecret
    /// How long each readiness check may take before it counts as failed.
    public var readinessTimeout: Duration
    /// How often the audit chain head is published when it moved (`SJ_AUDIT_HEAD_INTERVAL_MS`).
    public var auditHeadInterval: Duration

    public var kafkaBrokers: String {
        get { kafka.brokers }
        set { kafka.brokers = newValue }
    }

    public init(
        serviceName: String, httpHost: String = "127.0.0.1", httpPort: Int,
        databaseURL: String, databasePoolSize: Int = 8, kafkaBrokers: String = "127.0.0.1:9092",
        kafka: KafkaClientSettings? = nil,
        logLevel: String = "info", shutdownTimeout: Duration = .seconds(20),
        jwtSecret: JWTSecret, readinessTimeout: Duration = .milliseconds(2000),
        auditHeadInterval: Duration = .milliseconds(5000)
    ) {
        self.serviceName = serviceName
        self.httpHost = httpHost
        self.httpPort = httpPort
        self.databaseURL = databaseURL
        self.databasePoolSize = databasePoolSize
        self.kafka = kafka ?? KafkaClientSettings(brokers: kafkaBrokers)
        self.logLevel = logLevel
        self.shutdownTimeout = shutdownTimeout
        self.jwtSecret = jwtSecret
        self.readinessTimeout = readinessTimeout
        self.auditHeadInterval = auditHeadInterval
    }

    /// Reads `SJ_*` variables. `defaultPort` is the service's port on 127.0.0.1
    /// (registry 8081, scheduling 8082, inspection 8083, notification 8084).
    public static func fromEnvironment(
        service: String, defaultPort: Int,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigurationError) -> ServiceConfiguration {
        try fromEnvironment(service: service, defaultPort: defaultPort, environment: environment) { _ in () }.common
    }

    /// Reads the common `SJ_*` variables, then the service's own through
    /// `settings` with the same reader, and throws every problem of both
    /// at once. `settings` returns nil only after recording a problem.
    public static func fromEnvironment<Settings>(
        service: String, defaultPort: Int,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        settings readSettings: (inout EnvironmentReader) -> Settings?
    ) throws(ConfigurationError) -> (common: ServiceConfiguration, service: Settings) {
        var reader = EnvironmentReader(environment)
        let config = ServiceConfiguration(
            serviceName: service,
            httpHost: reader.string("SJ_HTTP_HOST", default: "127.0.0.1"),
            httpPort: reader.integer("SJ_HTTP_PORT", default: defaultPort, in: 1...65535),
            databaseURL: reader.databaseURL(service: service),
            databasePoolSize: reader.integer("SJ_DATABASE_POOL_SIZE", default: 8, in: 1...200),
            kafka: reader.kafkaSettings(),
            logLevel: reader.oneOf(
                "SJ_LOG_LEVEL", default: "info",
                allowed: ["trace", "debug", "info", "notice", "warning", "error", "critical"]),
            shutdownTimeout: .seconds(reader.integer("SJ_SHUTDOWN_TIMEOUT_SECONDS", default: 20, in: 1...600)),
            jwtSecret: reader.jwtSecret("SJ_JWT_SECRET"),
            readinessTimeout: .milliseconds(reader.integer("SJ_READY_TIMEOUT_MS", default: 2000, in: 100...60_000)),
            auditHeadInterval: .milliseconds(
                reader.integer("SJ_AUDIT_HEAD_INTERVAL_MS", default: 5000, in: 100...3_600_000)))
        let serviceSettings = readSettings(&reader)
        if serviceSettings == nil && reader.problems.isEmpty {
            reader.problem("the \(service) service's own settings could not be read")
        }
        guard reader.problems.isEmpty, let serviceSettings else { throw ConfigurationError(problems: reader.problems) }
        return (config, serviceSettings)
    }
}

extension ServiceConfiguration: CustomStringConvertible, CustomDebugStringConvertible {
    /// The configuration without secrets: the database password is masked,
    /// the JWT key and Kafka passwords are left out.
    public var description: String {
        "ServiceConfiguration(service: \(serviceName), http: \(httpHost):\(httpPort), "
            + "database: \(DatabaseURL.redacted(databaseURL)), pool: \(databasePoolSize), "
            + "kafka: \(kafka.brokers) \(kafka.common["security.protocol"] ?? "plaintext"), log: \(logLevel), "
            + "shutdown: \(shutdownTimeout), ready timeout: \(readinessTimeout))"
    }

    public var debugDescription: String { description }
}

extension EnvironmentReader {
    /// `SJ_DATABASE_URL` with the password of `SJ_DATABASE_PASSWORD_FILE`
    /// (or `SJ_DATABASE_PASSWORD`) merged in, when one is given.
    mutating func databaseURL(service: String) -> String {
        let url = string("SJ_DATABASE_URL", default: "postgresql://shuangjian@127.0.0.1:55432/shuangjian_\(service)")
        guard let password = secret("SJ_DATABASE_PASSWORD") else { return url }
        do {
            return try DatabaseURL.adding(password: password, to: url)
        } catch {
            problem(error.description)
            return url
        }
    }
}

/// All the configuration problems found at once, so an operator fixes them in one go.
public struct ConfigurationError: Error, CustomStringConvertible {
    public var problems: [String]
    public init(problems: [String]) { self.problems = problems }
    public var description: String {
        "invalid configuration:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
