#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CPU time of every thread of this process, for the cost of a piece of work
/// apart from its rate: on a shared machine a rate also counts time spent
/// waiting for a core, CPU time does not (bench/rdkafka_raw.c measures the same).
struct CPUClock {
    private let start = CPUClock.now()

    var seconds: Double { Self.now() - start }

    private static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
