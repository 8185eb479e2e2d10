import ServiceKit
import Domain
import EventFlow
import Foundation
import Kafka
import Logging
import Postgres
import Synchronization
import Testing

@testable import Notification

/// A fresh database of its own for one test (from SJ_TEST_DATABASE_URL, as
/// `scripts/test.sh` sets it), with EventFlow's tables and the notification
/// service's migrations applied. `drop()` removes it.
final class NotificationDatabase: Sendable {
    let pool: PostgresPool
    let name: String
    private let base: String

    static var isConfigured: Bool { ProcessInfo.processInfo.environment["SJ_TEST_DATABASE_URL"] != nil }

    static let logger: Logger = {
        var logger = Logger(label: "notification-tests")
        logger.logLevel = .warning
        return logger
    }()

    /// Services/Notification/Migrations in the source tree.
    static var migrationsFolder: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Services/Notification/Migrations")
    }

    private init(pool: PostgresPool, name: String, base: String) {
        self.pool = pool
        self.name = name
        self.base = base
    }

    static func create() async throws -> NotificationDatabase {
        guard let base = ProcessInfo.processInfo.environment["SJ_TEST_DATABASE_URL"] else {
            throw NotificationTestError("run the tests with scripts/test.sh (SJ_TEST_DATABASE_URL)")
        }
        let (name, url) = try await makeDatabase(from: base, prefix: "notification_", logger: logger)
        let pool = PostgresPool(PostgresConfiguration(connectionString: url, poolSize: 3), logger: logger)
        try await ServiceSchema.migrate(pool, serviceMigrations: migrationsFolder, logger: logger)
        return NotificationDatabase(pool: pool, name: name, base: base)
    }

    func drop() async {
        await pool.close()
        let admin = PostgresPool(PostgresConfiguration(connectionString: base, poolSize: 1), logger: Self.logger)
        _ = try? await admin.execute("DROP DATABASE IF EXISTS \(identifier: name) WITH (FORCE)")
        await admin.close()
    }

    /// Runs `body` with a fresh database, dropping it afterwards.
    static func with<T: Sendable>(_ body: (NotificationDatabase) async throws -> T) async throws -> T {
        let database = try await create()
        do {
            let value = try await body(database)
            await database.drop()
            return value
        } catch {
            await database.drop()
            throw error
        }
    }

    /// Applies `event` with `handlers` in one transaction, as the consumer
    /// would (without the inbox); false when no handler knows its type.
    @discardableResult
    func apply(_ event: CloudEvent, with handlers: EventHandlers, topic: String = "test") async throws -> Bool {
        let message = KafkaMessage(
            topic: topic, partition: 0, offset: 0, key: nil, value: event.data, headers: [], timestamp: nil)
        return try await pool.transaction { connection in
            try await handlers.handle(event, message: message, on: connection)
        }
    }

    func count(_ query: PostgresQuery) async throws -> Int {
        try await pool.query(query).first!.decode(0, as: Int.self)
    }

    /// An enabled channel config for a person (id lower case) or a unit.
    @discardableResult
    func addChannel(_ channel: String, ownerKind: String, ownerId: String, enabled: Bool = true) async throws -> UUID {
        let id = UUID()
        try await pool.execute("""
            INSERT INTO channel_configs (id, owner_kind, owner_id, channel, endpoint, enabled, created_at, updated_at)
            VALUES (\(id), \(ownerKind), \(ownerId), \(channel), \("https://example.invalid/\(channel)"), \(enabled), now(), now())
            """)
        return id
    }
}

struct NotificationTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// An injectable clock the test moves by hand.
final class TestClock: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date) { current = Mutex(start) }
    func now() -> Date { current.withLock { $0 } }
    func set(_ date: Date) { current.withLock { $0 = date } }
    var function: @Sendable () -> Date { { [self] in self.now() } }
}

/// Registry-shaped events for the tests (the payloads of docs/asyncapi.yaml).
enum Fixture {
    static let registry = "/shuangjian/registry"

    /// `2026-09-30 16:00` China time as an instant.
    static func china(_ text: String) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        guard let date = formatter.date(from: text.count == 16 ? text + ":00" : text) else { fatalError("bad date \(text)") }
        return date
    }

    static func event(_ type: String, _ data: [String: Any], time: Date, id: String = UUID().uuidString.lowercased(),
                      source: String = registry) -> CloudEvent {
        let bytes = try! JSONSerialization.data(withJSONObject: data, options: [.sortedKeys])
        return CloudEvent(id: id, source: source, type: type, time: time, data: Array(bytes))
    }

    static func unit(
        _ id: String, _ name: String, topics: [[String]] = [], member: UUID? = nil, liaison: UUID? = nil,
        version: Int = 1, proposalId: UUID? = nil
    ) -> [String: Any] {
        var unit: [String: Any] = [
            "id": id, "name": name, "aliases": [String](),
            "duties": topics.enumerated().map { index, topics in
                ["id": "\(id)/\(index + 1)", "text": "职责\(index + 1)", "topics": topics, "sharedWith": [String]()] as [String: Any]
            },
            "contact": [String: Any](),
            "admission": ["reference": "房政办函〔2022〕37号", "admittedAt": "2022-06-01T00:00:00.000Z"] as [String: Any],
            "version": version, "updatedAt": "2026-09-30T08:00:00.000Z",
        ]
        if let member { unit["memberId"] = member.uuidString }
        if let liaison { unit["liaisonId"] = liaison.uuidString }
        if let proposalId {
            unit["admission"] = [
                "reference": "房政函〔2026〕12号", "admittedAt": "2026-09-29T02:00:00.000Z", "proposalId": proposalId.uuidString,
            ] as [String: Any]
        }
        return unit
    }

    static func person(
        _ id: UUID, _ name: String, unit: String?, roles: [String], mobile: String? = nil, version: Int = 1
    ) -> [String: Any] {
        var channels: [String: Any] = [:]
        if let mobile { channels["mobile"] = mobile }
        var person: [String: Any] = [
            "id": id.uuidString, "name": name, "roles": roles, "channels": channels, "version": version,
            "updatedAt": "2026-09-30T08:00:00.000Z",
        ]
        if let unit { person["unitId"] = unit }
        return person
    }

    static func unitEvent(_ unit: [String: Any], time: Date, type: String = EventType.unitAdmitted) -> CloudEvent {
        event(type, ["unit": unit], time: time)
    }

    static func personEvent(_ person: [String: Any], time: Date, type: String = EventType.personCreated) -> CloudEvent {
        event(type, ["person": person], time: time)
    }
}
