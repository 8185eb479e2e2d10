/// One timed Kafka run: messages per second, and the CPU its client process
/// spent per message (all threads; the broker is another process).
struct KafkaRun {
    var rate: Double
    var cpuNanosPerMessage: Double
}

/// The runs of one Kafka figure, raw and Swift, one pair per round. Rounds
/// run raw then Swift back to back, so a pair shares the machine's load of
/// that moment; the per-round ratio is reported beside the ratio of medians
/// to show how much the load moved the figures.
struct KafkaBenchRounds {
    var name: String
    var swift: [KafkaRun] = []
    var raw: [KafkaRun] = []

    init(_ name: String) { self.name = name }

    var roundLine: String {
        guard let s = swift.last, let r = raw.last else { return "" }
        return "    \(name.padding(toLength: 16, withPad: " ", startingAt: 0)) swift \(Self.rate(s.rate)) msg/s \(Self.cpu(s)) ns/msg CPU"
            + "   raw \(Self.rate(r.rate)) msg/s \(Self.cpu(r)) ns/msg CPU   \(Self.percent(s.rate / r.rate))"
    }

    var summaryLines: [String] {
        let ratios = zip(swift, raw).map { $0.rate / $1.rate }.sorted()
        let figure = BenchFigure(name: name, swift: swift.map(\.rate).median, raw: raw.map(\.rate).median, unit: "msg/s")
        return [
            figure.line,
            "    per round: \(Self.percent(ratios.first ?? 0))–\(Self.percent(ratios.last ?? 0)) of raw (median \(Self.percent(ratios.median)));"
                + " client CPU per message: swift \(Self.cpu(swift.map(\.cpuNanosPerMessage).median)) ns,"
                + " raw \(Self.cpu(raw.map(\.cpuNanosPerMessage).median)) ns (medians)",
        ]
    }

    private static func rate(_ value: Double) -> String { BenchFigure.format(value) }
    private static func cpu(_ run: KafkaRun) -> String { cpu(run.cpuNanosPerMessage) }
    private static func cpu(_ value: Double) -> String { String(format: "%5.0f", value) }
    private static func percent(_ ratio: Double) -> String { String(format: "%.0f%%", ratio * 100) }
}
