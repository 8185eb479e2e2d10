import Metrics

/// What the delivery worker reports on /metrics: outcomes per channel
/// (sent, failed — to be retried — and dead), fallbacks from one channel to
/// the next, and how long sends take.
enum DeliveryMetrics {
    static func outcome(_ channel: Channel, _ state: DeliveryState) -> Counter {
        Counter(label: "notification_delivery_attempts_total", dimensions: [("channel", channel.rawValue), ("outcome", state.rawValue)])
    }

    /// A dead delivery on `from` fell back to the recipient's next channel `to`.
    static func fallback(from: Channel, to: Channel) -> Counter {
        Counter(label: "notification_delivery_fallbacks_total", dimensions: [("from", from.rawValue), ("to", to.rawValue)])
    }

    static func sendDuration(_ channel: Channel) -> Timer {
        Timer(label: "notification_send_duration_seconds", dimensions: [("channel", channel.rawValue)], preferredDisplayUnit: .seconds)
    }
}

extension Duration {
    var nanosecondsForMetrics: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
