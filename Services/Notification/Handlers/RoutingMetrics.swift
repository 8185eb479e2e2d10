import Metrics

/// What routing reports on /metrics.
enum RoutingMetrics {
    /// Letters (督办函 / 协调函) to a unit that has no liaison, which went to
    /// the rule's fallback (the unit's member and the office) instead: each
    /// one is a unit the office should ask to name its 联络员.
    static func lettersWithoutLiaison(unit: String) -> Counter {
        Counter(label: "notification_letters_without_liaison_total", dimensions: [("unit", unit)])
    }
}
