import ServiceKit

/// Where the keys come from: `SJ_NOTIFICATION_SECRET_KEYS` (`id:key,…`,
/// newest first) or `SJ_NOTIFICATION_SECRET_KEY` (one key, id `default`),
/// each also as a `_FILE`. Read by the notification service before it
/// touches the database, and by `sjctl secrets reseal`.
public enum SecretBoxEnvironment {
    public static let keys = "SJ_NOTIFICATION_SECRET_KEYS"
    public static let key = "SJ_NOTIFICATION_SECRET_KEY"

    /// nil after recording each problem in `reader`.
    public static func read(_ reader: inout EnvironmentReader) -> SecretBox? {
        switch (reader.isSecretSet(keys), reader.isSecretSet(key)) {
        case (false, false):
            reader.problem(SecretBoxError.missingKey.description)
            return nil
        case (true, true):
            reader.problem("\(keys) and \(key) are both set: set one of them (\(keys) holds every key during a rotation)")
            return nil
        case (true, false):
            guard let text = reader.secret(keys) else { return nil }
            return reader.attempt { SecretBox(keyring: try named(keys) { try SecretKeyring(list: text) }) }
        case (false, true):
            guard let text = reader.secret(key) else { return nil }
            return reader.attempt { SecretBox(keyring: try named(key) { try SecretKeyring(single: text) }) }
        }
    }

    /// Prefixes a problem with the variable it came from.
    private static func named<T>(_ variable: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw NamedProblem(text: "\(variable) is \(error)") }
    }

    private struct NamedProblem: Error, CustomStringConvertible {
        var text: String
        var description: String { text }
    }
}
