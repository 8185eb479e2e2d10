import ChannelSecrets
import Foundation
import ServiceKit

/// What the notification service reads besides the common configuration:
/// the keys that seal channel secrets, whether endpoints may be private
/// addresses, the delivery worker's settings and the routing rules. Read by
/// `ServiceBootstrap` right after the common variables and before anything
/// touches the database, so a missing key stops the service with exit 78
/// naming it, together with every other problem.
struct NotificationSettings: Sendable {
    static let allowPrivateEndpointsVariable = "SJ_NOTIFICATION_ALLOW_PRIVATE_ENDPOINTS"

    var secrets: SecretBox
    /// `SJ_NOTIFICATION_ALLOW_PRIVATE_ENDPOINTS=true`: channels may reach
    /// loopback, private, link-local … addresses (local sinks, tests). Off by
    /// default: `EndpointAddressPolicy`.
    var allowPrivateEndpoints: Bool
    var delivery: DeliveryWorkerConfiguration
    var rules: RoutingRules

    /// nil after recording each problem in `reader`.
    static func read(_ reader: inout EnvironmentReader) -> NotificationSettings? {
        let environment = reader.environment
        let secrets = SecretBoxEnvironment.read(&reader)
        let allowPrivate = reader.optionalBool(allowPrivateEndpointsVariable) ?? false
        let delivery = reader.attempt { try DeliveryWorkerConfiguration(environment: environment) }
        // Bundled data rather than a variable, but as fatal: refuse to start on bad rules.
        let rules = reader.attempt { try RoutingRules.bundled() }
        guard let secrets, let delivery, let rules else { return nil }
        return NotificationSettings(secrets: secrets, allowPrivateEndpoints: allowPrivate, delivery: delivery, rules: rules)
    }

    /// The outbound HTTP client these settings describe.
    var http: OutboundHTTPClient.Configuration {
        OutboundHTTPClient.Configuration(
            timeout: delivery.sendTimeout, maxConnectionsPerHost: delivery.maxInFlight,
            allowPrivateEndpoints: allowPrivateEndpoints)
    }
}
