import Synchronization

/// Pairs each event's business commit with its effect's commit, in either
/// order (the consumer may apply an event before the writer's COMMIT returned).
final class LatencyRecorder: Sendable {
    private struct State {
        var committed: [String: ContinuousClock.Instant] = [:]
        var applied: [String: ContinuousClock.Instant] = [:]
        var latencies: [Duration] = []
        var appliedCount = 0
        var lastApplied = ContinuousClock.now
    }
    private let state = Mutex(State())

    func committed(_ ids: [String], at instant: ContinuousClock.Instant = .now) {
        state.withLock { state in
            for id in ids {
                if let applied = state.applied.removeValue(forKey: id) {
                    state.latencies.append(max(.zero, applied - instant))
                } else {
                    state.committed[id] = instant
                }
            }
        }
    }

    func applied(_ ids: [String]) {
        let now = ContinuousClock.now
        state.withLock { state in
            state.appliedCount += ids.count
            state.lastApplied = now
            for id in ids {
                if let committed = state.committed.removeValue(forKey: id) {
                    state.latencies.append(now - committed)
                } else {
                    state.applied[id] = now
                }
            }
        }
    }

    var appliedCount: Int { state.withLock { $0.appliedCount } }
    var lastApplied: ContinuousClock.Instant { state.withLock { $0.lastApplied } }

    /// The latencies recorded since the last call.
    func takeLatencies() -> [Duration] {
        state.withLock { state in
            defer { state.latencies = [] }
            return state.latencies
        }
    }
}

extension Array where Element == Duration {
    /// The q-quantile (0...1) in milliseconds, nearest rank.
    func percentileMilliseconds(_ q: Double) -> Double {
        guard !isEmpty else { return .nan }
        let sorted = self.sorted()
        let index = Swift.min(sorted.count - 1, Swift.max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1))
        let (seconds, attoseconds) = sorted[index].components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
