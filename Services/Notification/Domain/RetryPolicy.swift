import Foundation

/// When to try a failed delivery again, and when to give up. Exponential so a
/// receiver that is down is not hammered; capped so one that comes back is
/// reached within minutes; jittered so deliveries that failed together (one
/// endpoint down) do not all return in the same second.
struct RetryPolicy: Sendable, Equatable {
    var initialDelay: Duration = .seconds(5)
    var maxDelay: Duration = .seconds(600)
    /// Attempts in all (the first one included); the last failure makes the delivery dead.
    var maxAttempts = 8
    var jitter = true

    /// The wait after failed attempt number `attempt` (1 = the first).
    func delay(afterAttempt attempt: Int) -> Duration {
        let initial = Double(initialDelay.components.seconds) + Double(initialDelay.components.attoseconds) / 1e18
        let cap = Double(maxDelay.components.seconds) + Double(maxDelay.components.attoseconds) / 1e18
        let full = min(cap, initial * pow(2, Double(max(0, min(attempt - 1, 30)))))
        // Half fixed, half random: never sooner than half the step.
        let seconds = jitter ? full / 2 + Double.random(in: 0...(full / 2)) : full
        return .milliseconds(Int64(seconds * 1000))
    }

    func isLast(_ attempt: Int) -> Bool { attempt >= maxAttempts }
}
