import Foundation

/// How the delivery worker behaves. Defaults suit production; tests shorten
/// the timeouts. `init(environment:)` reads the optional overrides.
struct DeliveryWorkerConfiguration: Sendable {
    /// Sends in flight at most; each slot is held for at most `sendTimeout`
    /// plus the recording of its outcome. Sends mostly wait on the network,
    /// so many are cheap: 128 keeps a burst to a fast endpoint flowing while
    /// outcomes are written in shared transactions (`make bench`).
    var maxInFlight = 128
    /// How long a claimed delivery stays ours. Far longer than `sendTimeout`,
    /// so only a crashed (or frozen) worker's deliveries are ever re-claimed.
    var leaseDuration: Duration = .seconds(60)
    /// The whole exchange with one endpoint, connect to last byte.
    var sendTimeout: Duration = .seconds(15)
    /// The fallback when a NOTIFY is missed.
    var pollInterval: Duration = .seconds(1)
    var retry = RetryPolicy()
    /// Messages per endpoint per minute. The robots accept about 20 a minute
    /// each (DingTalk documents 20; WeCom the same); other channels are unlimited.
    var ratePerMinute: [Channel: Int] = [.dingtalk: 20, .wecom: 20]

    init() {}

    /// Optional overrides: `SJ_NOTIFICATION_MAX_IN_FLIGHT`,
    /// `SJ_NOTIFICATION_SEND_TIMEOUT_MS`, `SJ_NOTIFICATION_LEASE_MS`, `SJ_NOTIFICATION_MAX_ATTEMPTS`,
    /// `SJ_NOTIFICATION_ROBOT_RATE_PER_MINUTE` (dingtalk and wecom),
    /// `SJ_NOTIFICATION_SMS_RATE_PER_MINUTE` and `…_WEBHOOK_RATE_PER_MINUTE`
    /// (unlimited when unset). Unparseable values throw, naming the variable.
    init(environment: [String: String]) throws {
        func integer(_ name: String, min: Int) throws -> Int? {
            guard let text = environment[name], !text.isEmpty else { return nil }
            guard let value = Int(text), value >= min else {
                throw DeliveryConfigurationError(variable: name, expected: "an integer ≥ \(min)")
            }
            return value
        }
        if let value = try integer("SJ_NOTIFICATION_MAX_IN_FLIGHT", min: 1) { maxInFlight = value }
        if let value = try integer("SJ_NOTIFICATION_SEND_TIMEOUT_MS", min: 100) {
            sendTimeout = .milliseconds(value)
            leaseDuration = max(leaseDuration, sendTimeout * 4)
        }
        // How long a crashed worker's deliveries wait before another worker
        // re-sends them (with the same idempotency key). It must outlast a
        // send, or a slow but live send would be sent twice.
        if let value = try integer("SJ_NOTIFICATION_LEASE_MS", min: 1000) {
            guard Duration.milliseconds(value) >= sendTimeout * 2 else {
                throw DeliveryConfigurationError(
                    variable: "SJ_NOTIFICATION_LEASE_MS", expected: "at least twice the send timeout (\(sendTimeout))")
            }
            leaseDuration = .milliseconds(value)
        }
        if let value = try integer("SJ_NOTIFICATION_MAX_ATTEMPTS", min: 1) { retry.maxAttempts = value }
        if let value = try integer("SJ_NOTIFICATION_ROBOT_RATE_PER_MINUTE", min: 1) {
            ratePerMinute[.dingtalk] = value
            ratePerMinute[.wecom] = value
        }
        if let value = try integer("SJ_NOTIFICATION_SMS_RATE_PER_MINUTE", min: 1) { ratePerMinute[.sms] = value }
        if let value = try integer("SJ_NOTIFICATION_WEBHOOK_RATE_PER_MINUTE", min: 1) { ratePerMinute[.webhook] = value }
    }
}

struct DeliveryConfigurationError: Error, CustomStringConvertible {
    var variable: String
    var expected: String
    var description: String { "\(variable) must be \(expected)" }
}
