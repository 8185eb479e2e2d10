import Foundation

/// pgbench as the raw baseline: the same statements, the same number of
/// clients, the same (extended query) protocol as the Swift side.
struct PgBench {
    var executable: String
    var url: String
    var clients: Int

    /// A multi-row INSERT into `bench_rows (id, payload, created_at)`.
    static func batchInsertScript(rows: Int, payload: String) -> String {
        let values = (0..<rows).map { "(:id + \($0), '\(payload)', now())" }
        return "\\set id random(1, 1000000000)\n"
            + "INSERT INTO bench_rows (id, payload, created_at) VALUES \(values.joined(separator: ", "));\n"
    }

    /// pgbench's own transactions per second (excluding connection time) × rows per transaction.
    func rowsPerSecond(script: String, rowsPerTransaction: Int, transactions: Int) async throws -> Double {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sj-bench-\(UUID().uuidString).sql")
        try script.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let output = try await ExternalProgram.run(
            executable,
            ["-n", "-M", "extended", "-c", "\(clients)", "-j", "\(clients)", "-t", "\(transactions)",
             "-f", file.path, url])
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("tps = ") }),
              let tps = Double(line.dropFirst(6).prefix { $0 != " " })
        else { throw ExternalProgram.Failure(command: executable, status: 0, output: output) }
        return tps * Double(rowsPerTransaction)
    }
}
