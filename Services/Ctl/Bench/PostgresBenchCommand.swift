import ArgumentParser
import Foundation
import Logging
import Postgres

/// Single-row commits and 100-row batched inserts through Shared/Postgres,
/// beside pgbench running the same statements with the same number of clients
/// over the same (extended query) protocol.
struct PostgresBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postgres", abstract: "Rows/s through Shared/Postgres vs pgbench.")

    @Option(help: "libpq connection URI of the database to write into.")
    var url = "postgresql://shuangjian@127.0.0.1:55432/shuangjian_test"
    @Option(help: "Concurrent clients (pool connections and pgbench -c).")
    var clients = 8
    @Option(help: "Single-row transactions per client.")
    var singleRows = 2000
    @Option(help: "100-row batches per client.")
    var batches = 200
    @Option(help: "Rounds; each runs pgbench then Swift, the median of each is reported.")
    var rounds = 3
    @Option(help: "pgbench executable.")
    var pgbench = "/usr/lib/postgresql/15/bin/pgbench"

    static let batchSize = 100
    static let payload = String(repeating: "双减", count: 40)

    func run() async throws {
        let logger = Logger(label: "bench")
        let pool = PostgresPool(PostgresConfiguration(connectionString: url, poolSize: clients), logger: logger)
        try await pool.execute("DROP TABLE IF EXISTS bench_rows")
        try await pool.execute(
            "CREATE TABLE bench_rows (id bigint NOT NULL, payload text NOT NULL, created_at timestamptz NOT NULL)")

        // Rounds alternate raw and Swift so that neither always runs on a
        // warmer (or busier) server; the median of each is reported.
        var single = BenchRounds()
        var batched = BenchRounds()
        for _ in 0..<rounds {
            single.raw.append(try await pgbenchRowsPerSecond(
                script: singleScript(), rowsPerTransaction: 1, transactions: singleRows))
            single.swift.append(try await rate(rows: clients * singleRows) {
                try await forEachClient { client in
                    for i in 0..<singleRows {
                        let id = client * 1_000_000 + i
                        try await pool.execute(
                            "INSERT INTO bench_rows (id, payload, created_at) VALUES (\(id), \(Self.payload), now())")
                    }
                }
            })
            batched.raw.append(try await pgbenchRowsPerSecond(
                script: batchScript(), rowsPerTransaction: Self.batchSize, transactions: batches))
            batched.swift.append(try await rate(rows: clients * batches * Self.batchSize) {
                try await forEachClient { client in
                    for batch in 0..<batches {
                        try await pool.execute(batchInsert(first: client * 1_000_000 + batch * Self.batchSize))
                    }
                }
            })
        }

        try await pool.execute("DROP TABLE bench_rows")
        await pool.close()
        print("postgres (\(clients) clients, median of \(rounds) alternating rounds)")
        print(BenchFigure(name: "single-row commits", swift: single.swift.median, raw: single.raw.median, unit: "rows/s").line)
        print(BenchFigure(name: "batched insert (100 rows)", swift: batched.swift.median, raw: batched.raw.median, unit: "rows/s").line)
    }

    /// One multi-row INSERT with 100 × 2 bound parameters.
    private func batchInsert(first: Int) -> PostgresQuery {
        var query: PostgresQuery = "INSERT INTO bench_rows (id, payload, created_at) VALUES "
        for row in 0..<Self.batchSize {
            if row > 0 { query.append(", ") }
            query.append("(\(first + row), \(Self.payload), now())")
        }
        return query
    }

    private func forEachClient(_ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in 0..<clients { group.addTask { try await body(client) } }
            try await group.waitForAll()
        }
    }

    private func rate(rows: Int, _ work: () async throws -> Void) async throws -> Double {
        let watch = Stopwatch()
        try await work()
        return Double(rows) / watch.seconds
    }

    private func singleScript() -> String {
        "\\set id random(1, 1000000000)\n"
            + "INSERT INTO bench_rows (id, payload, created_at) VALUES (:id, '\(Self.payload)', now());\n"
    }

    private func batchScript() -> String { PgBench.batchInsertScript(rows: Self.batchSize, payload: Self.payload) }

    private func pgbenchRowsPerSecond(script: String, rowsPerTransaction: Int, transactions: Int) async throws -> Double {
        try await PgBench(executable: pgbench, url: url, clients: clients)
            .rowsPerSecond(script: script, rowsPerTransaction: rowsPerTransaction, transactions: transactions)
    }
}
