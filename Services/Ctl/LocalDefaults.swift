import Foundation

/// Where sjctl finds a service's database when no flag says: the variable the
/// services themselves read, else the local `make run` system (README,
/// "Configuration"). Kafka comes from `SJ_KAFKA_*` like the services'
/// (`EnvironmentReader.kafkaSettings`).
enum LocalDefaults {
    /// `flag`, else `SJ_DATABASE_URL`, else the service's database of `make run`.
    static func databaseURL(_ flag: String?, service: String) -> String {
        flag ?? environment("SJ_DATABASE_URL") ?? "postgresql://shuangjian@127.0.0.1:55432/shuangjian_\(service)"
    }

    private static func environment(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }
}
