import Domain
import Foundation

/// A signal as scoring sees it.
struct ScoredSignal: Sendable, Equatable {
    var id: UUID
    var kind: SignalKind
    var severity: SignalSeverity
    var occurredAt: Date
    /// When this service applied it (the office's judgement covers what it had received).
    var receivedAt: Date
    var reference: String
    var summary: String
}

/// One signal's part in a score: every number that made it, so the office
/// can redo the sum by hand.
struct Contribution: Codable, Sendable, Equatable {
    var signalId: UUID
    var kind: SignalKind
    var severity: SignalSeverity
    var reference: String
    var summary: String
    var occurredAt: Date
    var weight: Double
    var severityFactor: Double
    /// 0.5^(age in whole days / half-life).
    var decay: Double
    /// weight × severityFactor × decay.
    var points: Double
}

/// Why a subject has its score and level (每一预警说明依据): the rules in
/// force, the signals in the window and their points, and the threshold reached.
struct Explanation: Codable, Sendable, Equatable {
    var evaluatedAt: Date
    var windowDays: Int
    var windowStart: Date
    var halfLifeDays: Double
    var score: Double
    /// The level the score reaches (nil: below blue).
    var level: WarningLevel?
    /// That level's threshold.
    var threshold: Double?
    /// Every level's threshold, so the distance to the next one shows.
    var thresholds: [String: Double]
    /// Signals received up to this moment do not count: the office changed
    /// the warning's level then, and its judgement covered them (Rules/README.md).
    var receivedAfter: Date?
    /// Newest first.
    var contributions: [Contribution]
}

/// The score of 专题研判: the sum over the subject's signals in the sliding
/// window of weight(kind) × factor(severity) × 0.5^(whole days of age / half-life). Pure.
enum RiskScore {
    /// Which of a subject's signals count: those that occurred after
    /// `windowStart` (the sliding window's start, or a later instant such as
    /// the close of the subject's last warning) and, after an office level
    /// change, were received after it.
    struct Scope: Sendable, Equatable {
        var windowStart: Date
        var receivedAfter: Date?

        init(at now: Date, since: Date?, receivedAfter: Date?, rules: RiskRules) {
            windowStart = max(now.addingTimeInterval(-rules.window), since ?? .distantPast)
            self.receivedAfter = receivedAfter
        }

        func counts(_ signal: ScoredSignal) -> Bool {
            signal.occurredAt > windowStart && receivedAfter.map { signal.receivedAt > $0 } ?? true
        }
    }

    /// - Parameter since: signals before this do not count (the window's start,
    ///   or a later instant such as the close of the subject's last warning).
    /// - Parameter receivedAfter: signals received up to this do not count
    ///   (the office's last level change).
    static func evaluate(
        _ signals: [ScoredSignal], at now: Date, since: Date? = nil, receivedAfter: Date? = nil, rules: RiskRules
    ) -> Explanation {
        let scope = Scope(at: now, since: since, receivedAfter: receivedAfter, rules: rules)
        var contributions: [Contribution] = []
        for signal in signals where scope.counts(signal) {
            let (weight, factor, decay) = terms(signal, at: now, rules: rules)
            contributions.append(Contribution(
                signalId: signal.id, kind: signal.kind, severity: signal.severity, reference: signal.reference,
                summary: signal.summary, occurredAt: signal.occurredAt, weight: weight, severityFactor: factor,
                decay: rounded(decay), points: rounded(weight * factor * decay)))
        }
        contributions.sort { ($0.occurredAt, $0.signalId.uuidString) > ($1.occurredAt, $1.signalId.uuidString) }
        let score = rounded(contributions.reduce(0) { $0 + $1.points })
        let level = rules.level(for: score)
        return Explanation(
            evaluatedAt: now, windowDays: rules.windowDays, windowStart: scope.windowStart, halfLifeDays: rules.halfLifeDays,
            score: score, level: level, threshold: level.flatMap { rules.thresholds[$0] },
            thresholds: Dictionary(uniqueKeysWithValues: rules.thresholds.map { ($0.key.rawValue, $0.value) }),
            receivedAfter: receivedAfter, contributions: contributions)
    }

    /// One signal's points as `evaluate` counts them (rounded the same way),
    /// for running sums that only build the whole explanation when a level is reached.
    static func points(_ signal: ScoredSignal, at now: Date, rules: RiskRules) -> Double {
        let (weight, factor, decay) = terms(signal, at: now, rules: rules)
        return rounded(weight * factor * decay)
    }

    private static func terms(_ signal: ScoredSignal, at now: Date, rules: RiskRules) -> (weight: Double, factor: Double, decay: Double) {
        let weight = rules.kinds[signal.kind]?.weight ?? 0
        let factor = rules.severityFactors[signal.severity] ?? 0
        // Whole days: the signals of one day weigh the same, and the office can redo the sum by hand.
        let ageDays = (max(0, now.timeIntervalSince(signal.occurredAt)) / 86_400).rounded(.down)
        return (weight, factor, pow(0.5, ageDays / rules.halfLifeDays))
    }

    /// Four decimals: what the explanation shows is what was summed.
    static func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
}
