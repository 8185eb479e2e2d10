import Metrics

/// What the audit log reports through swift-metrics (exposed on /metrics by
/// ServiceKit). Created on first use, which in a service is after
/// ServiceKit has bootstrapped the metrics system.
enum AuditMetrics {
    /// Entries appended, counted at append time: a transaction that then
    /// rolls back is counted although its entries vanish (the chain head is
    /// the committed truth; see `audit_head_published_seq`).
    static let appended = Counter(label: "audit_entries_appended_total")
    static let headsPublished = Counter(label: "audit_heads_published_total")
    static let headPublishFailures = Counter(label: "audit_head_publish_failures_total")
    /// The sequence number of the last head published to Kafka.
    static let lastPublishedSeq = Gauge(label: "audit_head_published_seq")
}
