import Foundation

/// Where sjctl finds the system when no flag says: the variable the services
/// themselves read, else the local `make run` system (README, "Configuration").
enum LocalDefaults {
    /// `flag`, else `SJ_KAFKA_BROKERS`, else `127.0.0.1:9092`.
    static func brokers(_ flag: String?) -> String {
        flag ?? environment("SJ_KAFKA_BROKERS") ?? "127.0.0.1:9092"
    }

    /// `flag`, else `SJ_DATABASE_URL`, else the service's database of `make run`.
    static func databaseURL(_ flag: String?, service: String) -> String {
        flag ?? environment("SJ_DATABASE_URL") ?? "postgresql://shuangjian@127.0.0.1:55432/shuangjian_\(service)"
    }

    private static func environment(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }
}
