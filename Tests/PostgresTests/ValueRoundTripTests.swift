import Foundation
import Postgres
import Testing

struct Payload: Codable, Equatable, Sendable {
    var title: String
    var count: Int
    var tags: [String]
}

@Suite("Values", .timeLimit(.minutes(2)))
struct ValueRoundTripTests {
    @Test func everySupportedTypeRoundTrips() async throws {
        try await withTestPool { pool in
            let table = uniqueName("values")
            try await setUp(pool, """
                CREATE TABLE \(table) (
                    id int8, i4 int4, i8 int8, t text, b bool, d float8, u uuid, ts timestamptz,
                    bin bytea, j jsonb, arr text[], opt_t text, opt_i int8)
                """)
            let uuid = UUID()
            let date = Date(timeIntervalSince1970: 1_714_552_200.123456)
            let bytes = Data([0, 1, 2, 0, 255, 0x5c, 0x78, 0])
            let json = PostgresJSON<Payload, PlainJSON>(Payload(title: "县消防救援大队", count: 3, tags: ["a", "b"]))
            let array = ["plain", "with, comma", "with \"quote\"", "back\\slash", "", "NULL", "县消防救援大队", " padded "]
            let chinese = "县消防救援大队"
            let noText: String? = nil
            let someInt: Int? = 42
            try await pool.execute("""
                INSERT INTO \(unsafeRaw: table) VALUES (\(1), \(Int32(-2_000_000_000)), \(Int64.max), \(chinese), \(true),
                    \(3.141592653589793), \(uuid), \(date), \(bytes), \(json), \(array), \(noText), \(someInt))
                """)
            let nilInt: Int? = nil
            try await pool.execute("""
                INSERT INTO \(unsafeRaw: table) (id, opt_t, opt_i, b, d, arr) VALUES (\(2), \("x"), \(nilInt), \(false), \(-0.5), \([String]()))
                """)

            let rows = try await pool.query("SELECT * FROM \(unsafeRaw: table) ORDER BY id")
            #expect(rows.count == 2)
            #expect(rows.columns.first == "id")
            let row = try #require(rows.first)
            #expect(try row.decode("i4", as: Int32.self) == -2_000_000_000)
            #expect(try row.decode("i8", as: Int64.self) == Int64.max)
            #expect(try row.decode("t", as: String.self) == chinese)
            #expect(try row.decode("b", as: Bool.self) == true)
            #expect(try row.decode("d", as: Double.self) == 3.141592653589793)
            #expect(try row.decode("u", as: UUID.self) == uuid)
            let decodedDate = try row.decode("ts", as: Date.self)
            #expect((decodedDate.timeIntervalSince1970 * 1_000_000).rounded() == (date.timeIntervalSince1970 * 1_000_000).rounded())
            #expect(try row.decode("bin", as: Data.self) == bytes)
            #expect(try row.decode("j", as: PostgresJSON<Payload, PlainJSON>.self) == json)
            #expect(try row.decode("arr", as: [String].self) == array)
            #expect(try row.decode("opt_t", as: String?.self) == nil)
            #expect(try row.decode("opt_i", as: Int?.self) == 42)
            let (id, i4, i8AsText) = try row.decode((Int, Int32?, String).self)
            #expect(id == 1 && i4 == -2_000_000_000 && i8AsText == String(Int64.max))

            let second = rows[1]
            #expect(try second.decode("opt_t", as: String?.self) == "x")
            #expect(try second.decode("opt_i", as: Int?.self) == nil)
            #expect(try second.decode("b", as: Bool.self) == false)
            #expect(try second.decode("d", as: Double.self) == -0.5)
            #expect(try second.decode("arr", as: [String].self) == [])
            #expect(try second.decode("ts", as: Date?.self) == nil)

            // Server-side checks: the values arrived as typed values, not text.
            let check = try await pool.query("""
                SELECT octet_length(bin), arr[2], arr[6] IS NULL, j->>'title', extract(microseconds FROM ts)::int8 % 1000000
                FROM \(unsafeRaw: table) WHERE id = \(1)
                """)
            let (length, second2, isNull, title, micros) = try check[0].decode((Int, String, Bool, String, Int).self)
            #expect(length == 8 && second2 == "with, comma" && !isNull && title == chinese && micros == 123_456)
            try await setUp(pool, "DROP TABLE \(table)")
        }
    }

    @Test func injectionAttemptStaysData() async throws {
        try await withTestPool { pool in
            let table = uniqueName("victim")
            try await setUp(pool, "CREATE TABLE \(table) (name text)")
            let evil = "'); DROP TABLE \(table); --"
            try await pool.execute("INSERT INTO \(unsafeRaw: table) (name) VALUES (\(evil))")
            let rows = try await pool.query("SELECT name FROM \(unsafeRaw: table) WHERE name = \(evil)")
            #expect(rows.count == 1)
            #expect(try rows[0].decode(0, as: String.self) == evil)
            #expect(try await pool.query("SELECT count(*) FROM \(identifier: table)")[0].decode(0, as: Int.self) == 1)
            try await setUp(pool, "DROP TABLE \(table)")
        }
    }

    @Test func nullIntoNonOptionalNamesTheColumn() async throws {
        try await withTestPool { pool in
            let rows = try await pool.query("SELECT 1 AS present, NULL::int8 AS missing_value")
            let error = try #require(throws: PostgresDecodingError.self) { try rows[0].decode(1, as: Int.self) }
            #expect(error.column == "missing_value")
            #expect(error.description.contains("missing_value"))
            #expect(throws: PostgresDecodingError.self) { try rows[0].decode("missing_value", as: String.self) }
            #expect(try rows[0].decode("missing_value", as: Int?.self) == nil)
        }
    }

    @Test func serverErrorsCarrySQLState() async throws {
        try await withTestPool { pool in
            let error = try await #require(throws: PostgresError.self) {
                try await pool.query("SELECT * FROM \(identifier: uniqueName("no_such_table"))")
            }
            #expect(error.sqlState == "42P01")
            #expect(!error.isTransient)
            #expect(try await pool.query("SELECT \(1) + \(2)")[0].decode(0, as: Int.self) == 3)
        }
    }

    @Test func poolQueuesWaitersWhenAllConnectionsAreBusy() async throws {
        try await withTestPool(poolSize: 2) { pool in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<12 {
                    group.addTask { try await pool.query("SELECT \(i), pg_sleep(0.02)")[0].decode(0, as: Int.self) }
                }
                var sum = 0
                for try await value in group { sum += value }
                #expect(sum == 66)
            }
            let backends = try await pool.query(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'shuangjian' AND datname = current_database()")
            #expect(try backends[0].decode(0, as: Int.self) >= 1)
        }
    }

    @Test func connectionIsHealthyAndUsableDirectly() async throws {
        try await withTestPool { _ in
            let connection = try await PostgresConnection.connect(try testConfiguration(), logger: testLogger)
            #expect(await connection.isHealthy)
            #expect(try await connection.query("SELECT current_setting('TimeZone')")[0].decode(0, as: String.self) == "UTC")
            await #expect(throws: PostgresError.self) { try await connection.executeScript("BEGIN; SELECT 1/0;") }
            #expect(await connection.isHealthy == false)  // inside a failed transaction
            try await connection.executeScript("ROLLBACK")
            #expect(await connection.isHealthy)
            await connection.close()
            #expect(await connection.isHealthy == false)
        }
    }
}

/// Foundation's default JSON coders, for the round trip.
enum PlainJSON: PostgresJSONCoding {
    static let encoder = JSONEncoder()
    static let decoder = JSONDecoder()
}
