import Foundation

/// A service's configuration, read from environment variables (DESIGN.md §5).
/// Every variable has a local default so `make run` needs none; a value that
/// is present but invalid is an error that names the variable.
public struct ServiceConfiguration: Sendable {
    public var serviceName: String
    public var httpHost: String
    public var httpPort: Int
    public var databaseURL: String
    public var databasePoolSize: Int
    public var kafkaBrokers: String
    public var logLevel: String
    public var shutdownTimeout: Duration

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
            shutdownTimeout: .seconds(reader.integer("SJ_SHUTDOWN_TIMEOUT_SECONDS", default: 20, in: 1...600)))
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
}
