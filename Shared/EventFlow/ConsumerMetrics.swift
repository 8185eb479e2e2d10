import Metrics

/// What a consumer reports through swift-metrics (exposed on /metrics by ServiceKit).
struct ConsumerMetrics: Sendable {
    let group: String
    let applied: Counter
    let duplicates: Counter
    let unknownTypes: Counter
    let retries: Counter

    init(group: String) {
        self.group = group
        applied = Counter(label: "eventflow_events_applied_total", dimensions: [("group", group)])
        duplicates = Counter(label: "eventflow_events_duplicate_total", dimensions: [("group", group)])
        unknownTypes = Counter(label: "eventflow_events_unknown_type_total", dimensions: [("group", group)])
        retries = Counter(label: "eventflow_consumer_retries_total", dimensions: [("group", group)])
    }

    func handlerDuration(_ type: String) -> Timer {
        Timer(label: "eventflow_handler_duration_seconds", dimensions: [("group", group), ("type", type)], preferredDisplayUnit: .seconds)
    }

    func deadLetters(_ topic: String) -> Counter {
        Counter(label: "eventflow_dead_letters_total", dimensions: [("group", group), ("topic", topic)])
    }

    func lag(topic: String, partition: Int32) -> Gauge {
        Gauge(label: "eventflow_consumer_lag", dimensions: [("group", group), ("topic", topic), ("partition", String(partition))])
    }
}
