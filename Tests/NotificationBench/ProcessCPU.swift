import Foundation
import Postgres

/// CPU time each process of the run spent during a phase, from
/// `/proc/<pid>/stat` (user + system): where a burst's cost lands — the
/// notification service, PostgreSQL (every process of the bench's private
/// server, as `pg_stat_activity` lists them), the dev broker, the registry,
/// and this process (publisher and sink). On 2 cores a phase of `s` seconds
/// has 2·s CPU seconds to spend; a sum near that means the machine, not a
/// wait, is the limit.
struct ProcessCPU {
    /// Process name → its pids now (PostgreSQL's change as pools open connections).
    var groups: [(name: String, pids: @Sendable () async throws -> [Int32])]

    /// CPU seconds (user + system) of every process of every group, by group and pid.
    struct Sample {
        var seconds: [String: [Int32: Double]] = [:]
    }

    func sample() async throws -> Sample {
        var sample = Sample()
        for (name, pids) in groups {
            for pid in try await pids() { sample.seconds[name, default: [:]][pid] = Self.cpuSeconds(of: pid) ?? 0 }
        }
        return sample
    }

    /// "notification 1.52 s, postgres 2.10 s, …" for the CPU spent between two
    /// samples (a process that started in between counts from zero).
    func describe(from start: Sample, to end: Sample, over wall: Double) -> String {
        var parts: [String] = []
        var total = 0.0
        for (name, _) in groups {
            let before = start.seconds[name] ?? [:]
            let spent = (end.seconds[name] ?? [:]).reduce(0.0) { $0 + max(0, $1.value - (before[$1.key] ?? 0)) }
            total += spent
            parts.append(String(format: "%@ %.2f s", name, spent))
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        return String(format: "CPU in %.2f s on %d cores: ", wall, cores) + parts.joined(separator: ", ")
            + String(format: "; total %.2f s (%.0f%% of the cores)", total, 100 * total / (wall * Double(cores)))
    }

    /// utime + stime of `pid`, nil when it is gone.
    static func cpuSeconds(of pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        // After "pid (comm)": state is field 3; utime and stime are fields 14 and 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The pids of the PostgreSQL server behind `pool` (its backends and
    /// background processes; the postmaster itself does no work per query).
    static func postgresPids(_ pool: PostgresPool) async throws -> [Int32] {
        try await pool.query("SELECT pid FROM pg_stat_activity").map { try $0.decode(0, as: Int32.self) }
    }
}
