import Postgres
import Testing

@Suite("Transactions", .timeLimit(.minutes(2)))
struct TransactionTests {
    struct Boom: Error {}

    @Test func throwingBodyRollsBack() async throws {
        try await withTestPool { pool in
            let table = uniqueName("rollback")
            try await setUp(pool, "CREATE TABLE \(table) (v int8)")
            await #expect(throws: Boom.self) {
                try await pool.transaction { connection in
                    try await connection.execute("INSERT INTO \(unsafeRaw: table) VALUES (\(1))")
                    try await connection.execute("INSERT INTO \(unsafeRaw: table) VALUES (\(2))")
                    throw Boom()
                }
            }
            #expect(try await pool.query("SELECT count(*) FROM \(unsafeRaw: table)")[0].decode(0, as: Int.self) == 0)
            // A committed one does stay.
            _ = try await pool.transaction { try await $0.execute("INSERT INTO \(unsafeRaw: table) VALUES (\(3))") }
            #expect(try await pool.query("SELECT count(*) FROM \(unsafeRaw: table)")[0].decode(0, as: Int.self) == 1)
            try await setUp(pool, "DROP TABLE \(table)")
        }
    }

    @Test func swallowedErrorStillFailsTheCommit() async throws {
        try await withTestPool { pool in
            let table = uniqueName("aborted")
            try await setUp(pool, "CREATE TABLE \(table) (v int8 PRIMARY KEY)")
            await #expect(throws: PostgresError.self) {
                try await pool.transaction { connection in
                    try await connection.execute("INSERT INTO \(unsafeRaw: table) VALUES (\(1))")
                    _ = try? await connection.execute("INSERT INTO \(unsafeRaw: table) VALUES (\(1))")  // duplicate, ignored
                }
            }
            #expect(try await pool.query("SELECT count(*) FROM \(unsafeRaw: table)")[0].decode(0, as: Int.self) == 0)
            try await setUp(pool, "DROP TABLE \(table)")
        }
    }

    @Test func serializationFailureIsRetried() async throws {
        try await withTestPool { pool in
            let table = uniqueName("skew")
            try await setUp(pool, "CREATE TABLE \(table) (who text, v int8)")
            let barrier = Barrier(parties: 2)
            let runs = Counter()
            // Classic write skew: each reads the whole table, then inserts.
            // Under SERIALIZABLE one of them must fail with 40001 and be rerun.
            @Sendable func contender(_ who: String) async throws -> Int {
                try await pool.transaction(isolation: .serializable) { connection in
                    let attempt = await runs.increment(who)
                    let sum = try await connection.query("SELECT coalesce(sum(v), 0) FROM \(unsafeRaw: table)")[0]
                        .decode(0, as: Int.self)
                    if attempt == 1 { await barrier.arrive() }  // both have read before either writes
                    try await connection.execute("INSERT INTO \(unsafeRaw: table) VALUES (\(who), \(sum + 1))")
                    return attempt
                }
            }
            async let a = contender("a")
            async let b = contender("b")
            let attempts = try await [a, b]
            #expect(attempts.max() ?? 0 >= 2, "one transaction ran more than once")
            #expect(await runs.value("a") + runs.value("b") >= 3)
            let rows = try await pool.query("SELECT who FROM \(unsafeRaw: table) ORDER BY who")
            #expect(try rows.map { try $0.decode(0, as: String.self) } == ["a", "b"])
            try await setUp(pool, "DROP TABLE \(table)")
        }
    }

    @Test func connectionLeftInTransactionIsCleanedUp() async throws {
        try await withTestPool(poolSize: 1) { pool in
            try await pool.withConnection { connection in
                try await connection.executeScript("BEGIN; CREATE TEMP TABLE leftover (x int)")
            }
            let rolledBack = try await pool.withConnection { connection in
                try await connection.query("SELECT to_regclass('pg_temp.leftover') IS NULL")[0].decode(0, as: Bool.self)
            }
            #expect(rolledBack)  // the abandoned transaction was rolled back, not reused
        }
    }
}
