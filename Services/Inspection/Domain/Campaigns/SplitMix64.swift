/// SplitMix64 (Steele, Lea and Flood, 2014; the reference constants of
/// Vigna's `splitmix64.c`): a small generator whose whole state is the
/// 64-bit seed, so a draw recorded with its seed can be re-run anywhere,
/// by anyone, to the same numbers. Not for secrets — for reproducibility.
struct SplitMix64: Sendable {
    private(set) var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound`, without modulo bias: draws below
    /// 2^64 mod bound are rejected (as OpenBSD's arc4random_uniform does),
    /// so every remainder is equally likely.
    mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        let n = UInt64(bound)
        let threshold = (0 &- n) % n
        while true {
            let x = next()
            if x >= threshold { return Int(x % n) }
        }
    }

    /// Fisher–Yates, from the last position down: position i swaps with `below(i + 1)`.
    mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, through: 1, by: -1) {
            items.swapAt(i, below(i + 1))
        }
    }
}
