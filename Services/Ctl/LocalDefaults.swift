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

    /// `flag`, else `SJ_DATABASE_URL`, else `service`'s database of `make run`;
    /// nil when none says which database (a command with no service of its own).
    static func databaseURL(_ flag: String?, orService service: String?) -> String? {
        if let service { return databaseURL(flag, service: service) }
        return flag ?? environment("SJ_DATABASE_URL")
    }

    /// `url` with any password masked, for messages (every sjctl command's one way).
    static func masked(_ url: String) -> String {
        url.replacingOccurrences(of: #"(://[^:/@]+):[^@/]*@"#, with: "$1:***@", options: .regularExpression)
    }

    private static func environment(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }
}
