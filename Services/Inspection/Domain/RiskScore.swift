import Domain
import Foundation

/// A signal as scoring sees it.
struct ScoredSignal: Sendable, Equatable {
    var id: UUID
    var kind: SignalKind
    var severity: SignalSeverity
    var occurredAt: Date
    var reference: String
    var summary: String
    var topics: [DutyTopic]
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
    /// Newest first.
    var contributions: [Contribution]
}

/// The score of 专题研判: the sum over the subject's signals in the sliding
/// window of weight(kind) × factor(severity) × 0.5^(whole days of age / half-life). Pure.
enum RiskScore {
    /// - Parameter since: signals before this do not count (the window's start,
    ///   or a later instant such as the close of the subject's last warning).
    static func evaluate(_ signals: [ScoredSignal], at now: Date, since: Date? = nil, rules: RiskRules) -> Explanation {
        let windowStart = max(now.addingTimeInterval(-rules.window), since ?? .distantPast)
        var contributions: [Contribution] = []
        for signal in signals where signal.occurredAt > windowStart {
            let weight = rules.kinds[signal.kind]?.weight ?? 0
            let factor = rules.severityFactors[signal.severity] ?? 0
            // Whole days: the signals of one day weigh the same, and the office can redo the sum by hand.
            let ageDays = (max(0, now.timeIntervalSince(signal.occurredAt)) / 86_400).rounded(.down)
            let decay = pow(0.5, ageDays / rules.halfLifeDays)
            contributions.append(Contribution(
                signalId: signal.id, kind: signal.kind, severity: signal.severity, reference: signal.reference,
                summary: signal.summary, occurredAt: signal.occurredAt, weight: weight, severityFactor: factor,
                decay: rounded(decay), points: rounded(weight * factor * decay)))
        }
        contributions.sort { ($0.occurredAt, $0.signalId.uuidString) > ($1.occurredAt, $1.signalId.uuidString) }
        let score = rounded(contributions.reduce(0) { $0 + $1.points })
        let level = rules.level(for: score)
        return Explanation(
            evaluatedAt: now, windowDays: rules.windowDays, windowStart: windowStart, halfLifeDays: rules.halfLifeDays,
            score: score, level: level, threshold: level.flatMap { rules.thresholds[$0] },
            thresholds: Dictionary(uniqueKeysWithValues: rules.thresholds.map { ($0.key.rawValue, $0.value) }),
            contributions: contributions)
    }

    /// Four decimals: what the explanation shows is what was summed.
    static func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
}
