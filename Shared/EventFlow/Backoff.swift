/// Capped exponential backoff with jitter (half to full of the current step),
/// so replicas that failed together do not retry together.
struct Backoff: Sendable {
    let min: Duration
    let max: Duration
    private var step: Duration

    init(min: Duration, max: Duration) {
        self.min = min
        self.max = max
        self.step = min
    }

    mutating func next() -> Duration {
        let current = step
        step = Swift.min(step * 2, max)
        let millis = Swift.max(1, current.milliseconds)
        return .milliseconds(Int64.random(in: (millis + 1) / 2...millis))
    }

    mutating func reset() { step = min }
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
