import Foundation
import ServiceKit

/// What the notification service reads besides the common configuration:
/// the key that seals channel secrets, the delivery worker's settings and
/// the routing rules. Read by `ServiceBootstrap` right after the common
/// variables and before anything touches the database, so a missing key
/// stops the service with exit 78 naming it, together with every other problem.
struct NotificationSettings: Sendable {
    var secrets: SecretBox
    var delivery: DeliveryWorkerConfiguration
    var rules: RoutingRules

    /// nil after recording each problem in `reader`.
    static func read(_ reader: inout EnvironmentReader) -> NotificationSettings? {
        let environment = reader.environment
        let secrets = secretBox(&reader)
        let delivery = reader.attempt { try DeliveryWorkerConfiguration(environment: environment) }
        // Bundled data rather than a variable, but as fatal: refuse to start on bad rules.
        let rules = reader.attempt { try RoutingRules.bundled() }
        guard let secrets, let delivery, let rules else { return nil }
        return NotificationSettings(secrets: secrets, delivery: delivery, rules: rules)
    }

    /// `SJ_NOTIFICATION_SECRET_KEY` or the file `SJ_NOTIFICATION_SECRET_KEY_FILE` names.
    private static func secretBox(_ reader: inout EnvironmentReader) -> SecretBox? {
        guard reader.isSecretSet(SecretBox.environmentVariable) else {
            reader.problem(SecretBoxError.missingKey.description)
            return nil
        }
        guard let text = reader.secret(SecretBox.environmentVariable) else { return nil }
        return reader.attempt { try SecretBox(keyText: text) }
    }
}
