import Directory
import Domain
import EventFlow
import Foundation
import Kafka
import Logging
import Postgres
import ServiceKit
import TestSupport

/// A fresh database for one test (from SJ_TEST_DATABASE_URL, as
/// `scripts/test.sh` sets it) with EventFlow's, the audit log's and the
/// directory's tables, as a service that links the directory has them.
struct DirectoryDatabase: Sendable {
    let pool: PostgresPool
    let name: String
    let base: String

    static var isConfigured: Bool { ProcessInfo.processInfo.environment["SJ_TEST_DATABASE_URL"] != nil }

    static let logger: Logger = {
        var logger = Logger(label: "directory-tests")
        logger.logLevel = .warning
        return logger
    }()

    static let module = ModuleSchema(name: "directory") { pool, logger in
        try await DirectorySchema.migrate(pool, logger: logger)
    }

    @discardableResult
    /// Runs `body` with a fresh database (plus `serviceMigrations`, if
    /// given), dropping it afterwards.
    static func with<T: Sendable>(
        serviceMigrations: URL? = nil, _ body: (DirectoryDatabase) async throws -> T
    ) async throws -> T {
        guard let base = ProcessInfo.processInfo.environment["SJ_TEST_DATABASE_URL"] else {
            throw DirectoryError("run the tests with scripts/test.sh (SJ_TEST_DATABASE_URL)")
        }
        let (name, url) = try await makeDatabase(from: base, prefix: "directory_", logger: logger)
        let pool = PostgresPool(PostgresConfiguration(connectionString: url, poolSize: 2), logger: logger)
        let database = DirectoryDatabase(pool: pool, name: name, base: base)
        do {
            try await ServiceSchema.migrate(pool, modules: [module], serviceMigrations: serviceMigrations, logger: logger)
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
        let message = KafkaMessage(
            topic: "test", partition: 0, offset: 0, key: nil, value: event.data, headers: [], timestamp: nil)
        return try await pool.transaction { connection in
            try await handlers.handle(event, message: message, on: connection)
        }
    }

    func read<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await pool.withConnection(body)
    }
}

/// Registry-shaped events (the payloads of docs/asyncapi.yaml).
enum Fixture {
    static let time = Date(timeIntervalSince1970: 1_790_000_000)

    static func event(_ type: String, _ data: [String: Any]) -> CloudEvent {
        let bytes = try! JSONSerialization.data(withJSONObject: data, options: [.sortedKeys])
        return CloudEvent(
            id: UUID().uuidString.lowercased(), source: "/shuangjian/registry", type: type, time: time, data: Array(bytes))
    }

    /// A duty: topics, role (lead / assisting), partners.
    struct Duty {
        var topics: [String]
        var role = "lead"
        var partners: [String] = []
        var text = "负责有关工作"
    }

    static func unit(
        _ id: String, _ name: String, duties: [Duty] = [], member: UUID? = nil, liaison: UUID? = nil, version: Int = 1,
        status: String? = nil
    ) -> [String: Any] {
        var unit: [String: Any] = [
            "id": id, "name": name, "aliases": [String](),
            "duties": duties.enumerated().map { index, duty in
                [
                    "id": "\(id)/\(index + 1)", "text": duty.text, "topics": duty.topics, "sharedWith": [String](),
                    "role": duty.role, "partnerUnitIds": duty.partners,
                ] as [String: Any]
            },
            "contact": [String: Any](),
            "admission": ["reference": "房政办函〔2022〕37号", "admittedAt": "2022-06-01T00:00:00.000Z"] as [String: Any],
            "version": version, "updatedAt": "2026-09-30T08:00:00.000Z",
        ]
        if let member { unit["memberId"] = member.uuidString }
        if let liaison { unit["liaisonId"] = liaison.uuidString }
        if let status { unit["status"] = status }
        return unit
    }

    static func person(_ id: UUID, _ name: String, unit: String?, roles: [String], title: String? = nil, version: Int = 1) -> [String: Any] {
        var person: [String: Any] = [
            "id": id.uuidString, "name": name, "roles": roles, "channels": ["mobile": "13800000001"], "version": version,
            "updatedAt": "2026-09-30T08:00:00.000Z",
        ]
        if let unit { person["unitId"] = unit }
        if let title { person["title"] = title }
        return person
    }

    static func unitEvent(_ unit: [String: Any], type: String = EventType.unitAdmitted) -> CloudEvent {
        event(type, ["unit": unit])
    }

    static func personEvent(_ person: [String: Any], type: String = EventType.personCreated) -> CloudEvent {
        event(type, ["person": person])
    }
}
