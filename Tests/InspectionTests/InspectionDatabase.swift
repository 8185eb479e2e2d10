import Domain
import EventFlow
import Foundation
import Kafka
import Logging
import Postgres
import ServiceKit
import Synchronization
import Testing
// The contract checker, ports, databases and ServiceWorld shared with the
// other test targets; exported to every file of this target.
@_exported import TestSupport

@testable import Inspection

/// A fresh database of its own for one test, with EventFlow's, the audit
/// log's and the inspection service's migrations applied.
final class InspectionDatabase: Sendable {
    let pool: PostgresPool
    let name: String
    private let base: String

    static var isConfigured: Bool { ProcessInfo.processInfo.environment["SJ_TEST_DATABASE_URL"] != nil }

    static let logger: Logger = {
        var logger = Logger(label: "inspection-tests")
        logger.logLevel = .warning
        return logger
    }()

    static var migrationsFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Services/Inspection/Migrations")
    }

    private init(pool: PostgresPool, name: String, base: String) {
        self.pool = pool
        self.name = name
        self.base = base
    }

    static func with<T: Sendable>(_ body: (InspectionDatabase) async throws -> T) async throws -> T {
        guard let base = ProcessInfo.processInfo.environment["SJ_TEST_DATABASE_URL"] else {
            throw TestSupportError("run the tests with scripts/test.sh (SJ_TEST_DATABASE_URL)")
        }
        let (name, url) = try await makeDatabase(from: base, prefix: "inspection_", logger: logger)
        let pool = PostgresPool(PostgresConfiguration(connectionString: url, poolSize: 3), logger: logger)
        try await ServiceSchema.migrate(pool, modules: [.directory], serviceMigrations: migrationsFolder, logger: logger)
        let database = InspectionDatabase(pool: pool, name: name, base: base)
        do {
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

    /// Applies `event` with `handlers` in one transaction, as the consumer would (without the inbox).
    @discardableResult
    func apply(_ event: CloudEvent, with handlers: EventHandlers) async throws -> Bool {
        let message = KafkaMessage(topic: "test", partition: 0, offset: 0, key: nil, value: event.data, headers: [], timestamp: nil)
        return try await pool.transaction { connection in try await handlers.handle(event, message: message, on: connection) }
    }

    func count(_ query: PostgresQuery) async throws -> Int {
        try await pool.query(query).first!.decode(0, as: Int.self)
    }

    /// The outbox's events, oldest first: (type, payload as JSON).
    func outbox() async throws -> [(type: String, json: [String: Any])] {
        var events: [(String, [String: Any])] = []
        for row in try await pool.query("SELECT type, payload::text FROM outbox ORDER BY seq") {
            let (type, text) = try row.decode((String, String).self)
            events.append((type, try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]))
        }
        return events
    }
}

/// An injectable clock the test moves by hand.
final class TestClock: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date) { current = Mutex(start) }
    func now() -> Date { current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
    var function: @Sendable () -> Date { { [self] in self.now() } }
}

/// County and registry events as their publishers send them (docs/asyncapi.yaml).
enum Fixture {
    static let hotline = "/fangxian/12345"
    static let registry = "/shuangjian/registry"
    /// A valid credit code (GB 32100 check character) for 房县启航培训学校.
    static let creditCode = "91420325MA4F0XYW1K"

    static func iso(_ date: Date) -> String { RFC3339.format(date) }

    static func event(_ type: String, _ data: [String: Any], id: String = UUID().uuidString.lowercased(),
                      source: String) -> CloudEvent {
        let bytes = try! JSONSerialization.data(withJSONObject: data, options: [.sortedKeys])
        return CloudEvent(id: id, source: source, type: type, time: nil, data: Array(bytes))
    }

    static func complaint(about concerns: [String: Any], at time: Date, severity: String = "medium", n: Int = 1) -> [String: Any] {
        ["reference": "12345-20261130-\(n)", "occurredAt": iso(time), "severity": severity,
         "summary": "家长反映该机构在周末违规开展学科类培训", "concerns": concerns]
    }

    static func institutionEvent(id: UUID = UUID(), code: String = creditCode, name: String = "房县启航培训学校") -> CloudEvent {
        event(EventType.institutionRegistered, ["institution": [
            "id": id.uuidString, "creditCode": code, "name": name, "category": "subject", "nonProfit": false,
            "address": "房县城关镇", "status": "approved", "whitelisted": false, "blacklisted": false,
            "responsibleUnits": ["approving": ["education-bureau"], "registering": ["civil-affairs-bureau"],
                                 "standardSetting": ["education-bureau"], "supervising": ["education-bureau"]],
            "version": 1, "registeredAt": "2026-09-01T00:00:00.000Z", "updatedAt": "2026-09-01T00:00:00.000Z",
        ] as [String: Any]], source: registry)
    }

    static func unitEvent(_ id: String, _ name: String, duties: [(topics: [String], role: String)]) -> CloudEvent {
        event(EventType.unitAdmitted, ["unit": [
            "id": id, "name": name, "aliases": [String](),
            "duties": duties.enumerated().map { index, duty in
                ["id": "\(id)/\(index + 1)", "text": "职责", "topics": duty.topics, "sharedWith": [String](), "role": duty.role] as [String: Any]
            },
            "contact": [String: Any](), "admission": ["reference": "房政办函〔2022〕37号", "admittedAt": "2022-06-01T00:00:00.000Z"],
            "version": 1, "updatedAt": "2026-09-30T08:00:00.000Z",
        ] as [String: Any]], source: registry)
    }

    /// The units these tests use: 县教育局 leads daily supervision, 县市场监管局 assists it.
    static let units: [CloudEvent] = [
        unitEvent("education-bureau", "县教育局", duties: [(["coordination"], "lead"), (["daily-supervision"], "lead")]),
        unitEvent("market-regulation-bureau", "县市场监管局", duties: [(["daily-supervision", "price-supervision"], "assisting")]),
        unitEvent("civil-affairs-bureau", "县民政局", duties: [(["registration"], "lead")]),
    ]
}
