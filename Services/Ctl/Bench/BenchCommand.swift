import ArgumentParser

/// `sjctl bench`: throughput of the Shared layers, each printed beside the raw
/// rate of the same machine in the same run (DESIGN.md: targets live in
/// benchmarks, never in timed tests).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark Shared/Kafka, Shared/Postgres and the EventFlow pipeline against raw baselines.",
        subcommands: [KafkaBenchCommand.self, PostgresBenchCommand.self, PipelineBenchCommand.self])
}

/// One line of a benchmark's result table.
struct BenchFigure {
    var name: String
    var swift: Double
    var raw: Double
    var unit: String

    var line: String {
        let ratio = raw > 0 ? swift / raw * 100 : 0
        return "\(name.padding(toLength: 34, withPad: " ", startingAt: 0))"
            + " swift \(Self.format(swift)) \(unit)   raw \(Self.format(raw)) \(unit)   "
            + "\(String(format: "%.0f", ratio))% of raw"
    }

    static func format(_ value: Double) -> String {
        String(format: "%10.0f", value)
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Each side's rate from every round; the median is reported, so one lucky or
/// unlucky round on this busy 2-core machine moves neither side.
struct BenchRounds {
    var swift: [Double] = []
    var raw: [Double] = []
}

extension Array where Element == Double {
    var median: Double {
        guard !isEmpty else { return 0 }
        let sorted = self.sorted()
        return count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2
    }
}
