import Foundation
import Postgres
import Testing

@Suite("Migrations", .timeLimit(.minutes(2)))
struct MigrationTests {
    static let files = [
        Migration(version: 1, name: "001_init.sql", sql: "CREATE TABLE items (id int8 PRIMARY KEY, name text NOT NULL);\nCREATE TABLE log (entry text);"),
        Migration(version: 2, name: "002_seed.sql", sql: "INSERT INTO items VALUES (1, '县消防救援大队'); INSERT INTO log VALUES ('two');"),
        Migration(version: 3, name: "003_column.sql", sql: "ALTER TABLE items ADD COLUMN note text; INSERT INTO log VALUES ('three');"),
    ]

    @Test func appliesInOrderAndRerunIsNoop() async throws {
        try await withTestPool { pool in
            let schema = uniqueName("mig")
            let runner = MigrationRunner(pool: pool, migrations: Self.files.reversed(), lockKey: 7_300_101, schema: schema, logger: testLogger)
            let applied = try await runner.run()
            #expect(applied.map(\.version) == [1, 2, 3])
            #expect(try await runner.run().isEmpty)
            let rows = try await pool.query("SELECT version, name, checksum FROM \(identifier: schema).schema_migrations ORDER BY version")
            #expect(rows.count == 3)
            #expect(try rows[0].decode(2, as: String.self) == Self.files[0].checksum)
            #expect(try await pool.query("SELECT name FROM \(identifier: schema).items")[0].decode(0, as: String.self) == "县消防救援大队")
            try await setUp(pool, "DROP SCHEMA \(schema) CASCADE")
        }
    }

    @Test func editedAppliedMigrationIsRefused() async throws {
        try await withTestPool { pool in
            let schema = uniqueName("mig")
            try await MigrationRunner(pool: pool, migrations: Array(Self.files.prefix(2)), schema: schema, logger: testLogger).run()
            var edited = Self.files
            edited[1].sql += "\n-- edited"
            await #expect(throws: MigrationError.checksumMismatch(version: 2, name: "002_seed.sql")) {
                try await MigrationRunner(pool: pool, migrations: edited, schema: schema, logger: testLogger).run()
            }
            // Nothing after the refused check ran.
            #expect(try await pool.query("SELECT count(*) FROM \(identifier: schema).schema_migrations")[0].decode(0, as: Int.self) == 2)
            try await setUp(pool, "DROP SCHEMA \(schema) CASCADE")
        }
    }

    @Test func failingMigrationLeavesNoTrace() async throws {
        try await withTestPool { pool in
            let schema = uniqueName("mig")
            let broken = Self.files + [Migration(version: 4, name: "004_broken.sql", sql: "CREATE TABLE half (x int); SELECT 1/0;")]
            await #expect(throws: PostgresError.self) {
                try await MigrationRunner(pool: pool, migrations: broken, schema: schema, logger: testLogger).run()
            }
            #expect(try await pool.query("SELECT count(*) FROM \(identifier: schema).schema_migrations")[0].decode(0, as: Int.self) == 3)
            #expect(try await pool.query("SELECT to_regclass(\(schema + ".half")) IS NULL")[0].decode(0, as: Bool.self))
            try await setUp(pool, "DROP SCHEMA \(schema) CASCADE")
        }
    }

    @Test func concurrentRunnersApplyEachMigrationOnce() async throws {
        let configuration = try testConfiguration(poolSize: 2)
        try await withTestPool { pool in
            let schema = uniqueName("mig")
            let other = PostgresPool(configuration, logger: testLogger)
            let first = MigrationRunner(pool: pool, migrations: Self.files, lockKey: 7_300_202, schema: schema, logger: testLogger)
            let second = MigrationRunner(pool: other, migrations: Self.files, lockKey: 7_300_202, schema: schema, logger: testLogger)
            async let a = first.run()
            async let b = second.run()
            let (appliedA, appliedB) = try await (a, b)
            await other.close()
            #expect((appliedA + appliedB).map(\.version).sorted() == [1, 2, 3])
            let log = try await pool.query("SELECT entry FROM \(identifier: schema).log ORDER BY entry")
            #expect(try log.map { try $0.decode(0, as: String.self) } == ["three", "two"])
            try await setUp(pool, "DROP SCHEMA \(schema) CASCADE")
        }
    }

    @Test func loadsNumberedFilesAndRejectsBadOnes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("migrations"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "SELECT 2;".write(to: directory.appendingPathComponent("002_second.sql"), atomically: true, encoding: .utf8)
        try "SELECT 1;".write(to: directory.appendingPathComponent("001_first.sql"), atomically: true, encoding: .utf8)
        try "notes".write(to: directory.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        let loaded = try Migration.load(from: directory)
        #expect(loaded.map(\.version) == [1, 2])
        #expect(loaded.map(\.name) == ["001_first.sql", "002_second.sql"])

        try "SELECT 3;".write(to: directory.appendingPathComponent("2_again.sql"), atomically: true, encoding: .utf8)
        #expect(throws: MigrationError.duplicateVersion(2)) { try Migration.load(from: directory) }
        try FileManager.default.removeItem(at: directory.appendingPathComponent("2_again.sql"))

        try "x".write(to: directory.appendingPathComponent("init.sql"), atomically: true, encoding: .utf8)
        #expect(throws: MigrationError.invalidFileName("init.sql")) { try Migration.load(from: directory) }
    }

    @Test func checksumIsSHA256Hex() {
        #expect(Migration(version: 1, name: "x", sql: "").checksum == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Migration(version: 1, name: "x", sql: "abc").checksum == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = String(repeating: "a", count: 1000)
        #expect(Migration(version: 1, name: "x", sql: long).checksum == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}
