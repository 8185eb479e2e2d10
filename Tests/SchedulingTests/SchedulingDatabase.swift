import Directory
import Domain
import EventFlow
import Foundation
import Kafka
import Logging
import Postgres
import ServiceKit
import Synchronization
import TestSupport

@testable import Scheduling

/// A fresh database for one test (from SJ_TEST_DATABASE_URL, as
/// `scripts/test.sh` sets it) migrated as the scheduling service migrates
/// its own: EventFlow, audit, the directory, then Services/Scheduling/Migrations.
struct SchedulingDatabase: Sendable {
    let pool: PostgresPool
    let url: String
    let name: String
    let base: String

    static var isConfigured: Bool { ProcessInfo.processInfo.environment["SJ_TEST_DATABASE_URL"] != nil }

    static let logger: Logger = {
        var logger = Logger(label: "scheduling-tests")
        logger.logLevel = .warning
        return logger
    }()

    static var migrationsFolder: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Services/Scheduling/Migrations")
    }

    static let directory = ModuleSchema(name: "directory") { try await DirectorySchema.migrate($0, logger: $1) }

    static func with<T: Sendable>(poolSize: Int = 3, _ body: (SchedulingDatabase) async throws -> T) async throws -> T {
        guard let base = ProcessInfo.processInfo.environment["SJ_TEST_DATABASE_URL"] else {
            throw DirectoryError("run the tests with scripts/test.sh (SJ_TEST_DATABASE_URL)")
        }
        let (name, url) = try await makeDatabase(from: base, prefix: "scheduling_", logger: logger)
        let pool = PostgresPool(PostgresConfiguration(connectionString: url, poolSize: poolSize), logger: logger)
        let database = SchedulingDatabase(pool: pool, url: url, name: name, base: base)
        do {
            try await ServiceSchema.migrate(pool, modules: [directory], serviceMigrations: migrationsFolder, logger: logger)
            let value = try await body(database)
            await database.drop()
            return value
        } catch {
            await database.drop()
            throw error
        }
    }

    func drop() async {
        await pool.close()
        let admin = PostgresPool(PostgresConfiguration(connectionString: base, poolSize: 1), logger: Self.logger)
        _ = try? await admin.execute("DROP DATABASE IF EXISTS \(identifier: name) WITH (FORCE)")
        await admin.close()
    }

    /// The outbox's events of `type`, in order, as JSON objects.
    func events(_ type: String) async throws -> [[String: Any]] {
        try await pool.query("SELECT payload::text FROM outbox WHERE type = \(type) ORDER BY seq").map {
            try JSONSerialization.jsonObject(with: Data(try $0.decode(0, as: String.self).utf8)) as? [String: Any] ?? [:]
        }
    }

    /// A second pool on the same database: another process's connections.
    func otherPool(size: Int = 2) -> PostgresPool {
        PostgresPool(PostgresConfiguration(connectionString: url, poolSize: size), logger: Self.logger)
    }

    @discardableResult
    func apply(_ event: CloudEvent, with handlers: EventHandlers) async throws -> Bool {
        let message = KafkaMessage(topic: "test", partition: 0, offset: 0, key: nil, value: event.data, headers: [], timestamp: nil)
        return try await pool.transaction { connection in try await handlers.handle(event, message: message, on: connection) }
    }

    /// Units straight into the directory, as its handlers would write them.
    func addUnits(_ units: [(String, String)], at time: Date = Fixture.china("2026-12-01 09:00")) async throws {
        try await pool.withConnection { connection in
            for (id, name) in units {
                try await DirectoryStore.upsert(DirectoryUnit(id: id, name: name, version: 1), at: time, on: connection)
            }
        }
    }

    func count(_ query: PostgresQuery) async throws -> Int {
        try await pool.query(query).first!.decode(0, as: Int.self)
    }

    /// The outbox's events of `type`, their payloads as JSON objects, in order.
    func outbox(_ type: String) async throws -> [[String: Any]] {
        try await pool.query("SELECT payload::text FROM outbox WHERE type = \(type) ORDER BY seq").map { row in
            let text = try row.decode(0, as: String.self)
            return (try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
        }
    }
}

/// An injectable clock the test moves by hand.
final class TestClock: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date) { current = Mutex(start) }
    func now() -> Date { current.withLock { $0 } }
    func set(_ date: Date) { current.withLock { $0 = date } }
    var function: @Sendable () -> Date { { [self] in self.now() } }
}

enum Fixture {
    /// `2026-12-01 10:00` China time as an instant.
    static func china(_ text: String) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        guard let date = formatter.date(from: text.count == 16 ? text + ":00" : text) else { fatalError("bad date \(text)") }
        return date
    }

    static func date(_ text: String) -> LocalDate { LocalDate(text)! }

    static let deadlines = TaskDeadlines(calendar: .china, officeHours: .county, reminderDays: [3, 1])

    static func event(_ type: String, _ data: [String: Any], time: Date) -> CloudEvent {
        let bytes = try! JSONSerialization.data(withJSONObject: data, options: [.sortedKeys])
        return CloudEvent(id: UUID().uuidString.lowercased(), source: "/shuangjian/registry", type: type, time: time, data: Array(bytes))
    }

    static func unitAdmitted(_ id: String, _ name: String, time: Date, version: Int = 1) -> CloudEvent {
        event(EventType.unitAdmitted, ["unit": [
            "id": id, "name": name, "aliases": [String](), "duties": [[String: Any]](), "contact": [String: Any](),
            "admission": ["reference": "房政办函〔2022〕37号", "admittedAt": "2022-06-01T00:00:00.000Z"],
            "version": version, "updatedAt": RFC3339.format(time),
        ] as [String: Any]], time: time)
    }

    static func draft(
        _ title: String = "落实课后服务经费保障", lead: String = "finance-bureau", assisting: [String] = [],
        due: DueSpec = .workingDays(5), origin: TaskOrigin = TaskOrigin(kind: .office, reference: nil)
    ) -> TaskDraft {
        TaskDraft(title: title, detail: nil, origin: origin, leadUnitId: lead, assistingUnitIds: assisting, due: due)
    }
}
