import Foundation

/// A service's configuration, read from environment variables (DESIGN.md §5).
/// Every variable but the JWT secret has a local default so `make run` needs
/// nothing else; a value that is present but invalid, or a required one that
/// is missing, is an error that names the variable.
public struct ServiceConfiguration: Sendable {
    public var serviceName: String
    public var httpHost: String
    public var httpPort: Int
    public var databaseURL: String
    public var databasePoolSize: Int
    public var kafkaBrokers: String
    public var logLevel: String
    public var shutdownTimeout: Duration
    /// The HS256 key of bearer tokens (`SJ_JWT_SECRET`). Required: a default
    /// would be a key everyone knows. Its description never shows the value.
    public var jwtSecret: JWTSecret
    /// How long each readiness check may take before it counts as failed.
    public var readinessTimeout: Duration
    /// How often the audit chain head is published when it moved (`SJ_AUDIT_HEAD_INTERVAL_MS`).
    public var auditHeadInterval: Duration

    public init(
        serviceName: String, httpHost: String = "127.0.0.1", httpPort: Int,
        databaseURL: String, databasePoolSize: Int = 8, kafkaBrokers: String = "127.0.0.1:9092",
        logLevel: String = "info", shutdownTimeout: Duration = .seconds(20),
        jwtSecret: JWTSecret, readinessTimeout: Duration = .milliseconds(2000),
        auditHeadInterval: Duration = .milliseconds(5000)
    ) {
        self.serviceName = serviceName
        self.httpHost = httpHost
        self.httpPort = httpPort
        self.databaseURL = databaseURL
        self.databasePoolSize = databasePoolSize
        self.kafkaBrokers = kafkaBrokers
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
        var reader = EnvironmentReader(environment)
        let config = ServiceConfiguration(
            serviceName: service,
            httpHost: reader.string("SJ_HTTP_HOST", default: "127.0.0.1"),
            httpPort: reader.integer("SJ_HTTP_PORT", default: defaultPort, in: 1...65535),
            databaseURL: reader.string(
                "SJ_DATABASE_URL",
                default: "postgresql://shuangjian@127.0.0.1:55432/shuangjian_\(service)"),
            databasePoolSize: reader.integer("SJ_DATABASE_POOL_SIZE", default: 8, in: 1...200),
            kafkaBrokers: reader.string("SJ_KAFKA_BROKERS", default: "127.0.0.1:9092"),
            logLevel: reader.oneOf(
                "SJ_LOG_LEVEL", default: "info",
                allowed: ["trace", "debug", "info", "notice", "warning", "error", "critical"]),
            shutdownTimeout: .seconds(reader.integer("SJ_SHUTDOWN_TIMEOUT_SECONDS", default: 20, in: 1...600)),
            jwtSecret: reader.jwtSecret("SJ_JWT_SECRET"),
            readinessTimeout: .milliseconds(reader.integer("SJ_READY_TIMEOUT_MS", default: 2000, in: 100...60_000)),
            auditHeadInterval: .milliseconds(
                reader.integer("SJ_AUDIT_HEAD_INTERVAL_MS", default: 5000, in: 100...3_600_000)))
        if !reader.problems.isEmpty { throw ConfigurationError(problems: reader.problems) }
        return config
    }
}

/// All the configuration problems found at once, so an operator fixes them in one go.
public struct ConfigurationError: Error, CustomStringConvertible {
    public var problems: [String]
    public var description: String {
        "invalid configuration:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

/// Collects problems instead of stopping at the first one.
struct EnvironmentReader {
    let environment: [String: String]
    var problems: [String] = []

    init(_ environment: [String: String]) { self.environment = environment }

    mutating func string(_ name: String, default value: String) -> String {
        guard let raw = environment[name] else { return value }
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { problems.append("\(name) is set but empty") }
        return trimmed
    }

    mutating func integer(_ name: String, default value: Int, in range: ClosedRange<Int>) -> Int {
        guard let raw = environment[name] else { return value }
        guard let parsed = Int(raw.trimmingCharacters(in: .whitespaces)), range.contains(parsed) else {
            problems.append("\(name)=\(raw) is not an integer in \(range.lowerBound)...\(range.upperBound)")
            return value
        }
        return parsed
    }

    mutating func oneOf(_ name: String, default value: String, allowed: [String]) -> String {
        guard let raw = environment[name] else { return value }
        guard allowed.contains(raw) else {
            problems.append("\(name)=\(raw) is not one of \(allowed.joined(separator: ", "))")
            return value
        }
        return raw
    }

    /// Required, and never echoed: a problem names the variable and the
    /// length, not the value.
    mutating func jwtSecret(_ name: String) -> JWTSecret {
        guard let raw = environment[name] else {
            problems.append(
                "\(name) is missing: set it to a random string of at least \(JWTSecret.minimumLength) bytes "
                    + "(e.g. `openssl rand -hex 32`)")
            return JWTSecret.placeholder
        }
        do {
            return try JWTSecret(raw)
        } catch {
            problems.append("\(name) is invalid: \(error)")
            return JWTSecret.placeholder
        }
    }
}
