import Domain
import Foundation
import Testing

@testable import Inspection

/// The score: weight × severity factor × half-life decay over the window,
/// every number shown in the explanation.
struct RiskScoreTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    let rules = try! RiskRules.bundled()

    func signal(_ kind: SignalKind, _ severity: SignalSeverity = .medium, daysAgo: Double) -> ScoredSignal {
        let at = now.addingTimeInterval(-daysAgo * 86_400)
        return ScoredSignal(id: UUID(), kind: kind, severity: severity, occurredAt: at, receivedAt: at, reference: "R", summary: "S")
    }

    @Test func weightsSeverityAndDecay() {
        let explanation = RiskScore.evaluate([
            signal(.hotlineComplaint, daysAgo: 0),  // 1 × 1 × 1
            signal(.safetyIncident, .high, daysAgo: 7),  // 4 × 2 × 0.5
            signal(.petition, .low, daysAgo: 14),  // 2 × 0.5 × 0.25
        ], at: now, rules: rules)
        #expect(explanation.score == 5.25)
        #expect(explanation.level == .yellow && explanation.threshold == 4)
        #expect(explanation.contributions.map(\.points) == [1, 4, 0.25])
        #expect(explanation.contributions.map(\.decay) == [1, 0.5, 0.25])
        #expect(explanation.contributions[1].weight == 4 && explanation.contributions[1].severityFactor == 2)
        #expect(explanation.thresholds == ["blue": 2, "yellow": 4, "orange": 6, "red": 8])
    }

    @Test func onlyTheWindowAndSignalsAfterTheLastCloseCount() {
        let old = signal(.safetyIncident, .critical, daysAgo: 31)
        let recent = signal(.hotlineComplaint, daysAgo: 1)
        let beforeClose = signal(.hotlineComplaint, daysAgo: 3)
        let all = RiskScore.evaluate([old, recent, beforeClose], at: now, rules: rules)
        #expect(all.contributions.map(\.signalId) == [recent.id, beforeClose.id])
        let afterClose = RiskScore.evaluate([old, recent, beforeClose], at: now, since: now.addingTimeInterval(-2 * 86_400), rules: rules)
        #expect(afterClose.contributions.map(\.signalId) == [recent.id])
        #expect(afterClose.level == nil && afterClose.threshold == nil)
    }

    @Test func eightComplaintsOnOneDayAreRed() {
        let explanation = RiskScore.evaluate((0..<8).map { _ in signal(.hotlineComplaint, daysAgo: 0) }, at: now, rules: rules)
        #expect(explanation.score == 8 && explanation.level == .red)
    }

    /// After the office changes a level, only signals received later count
    /// toward escalation; the explanation says from when.
    @Test func signalsTheOfficeJudgedDoNotCount() {
        let judged = now.addingTimeInterval(-86_400)
        var late = signal(.hotlineComplaint, daysAgo: 2)  // occurred before the judgement, reported after it
        late.receivedAt = now
        let seen = signal(.petition, daysAgo: 2)
        let explanation = RiskScore.evaluate([seen, late], at: now, receivedAfter: judged, rules: rules)
        #expect(explanation.contributions.map(\.signalId) == [late.id])
        #expect(explanation.receivedAfter == judged && explanation.score == explanation.contributions[0].points)
        #expect(RiskScore.points(late, at: now, rules: rules) == explanation.contributions[0].points)
    }
}
