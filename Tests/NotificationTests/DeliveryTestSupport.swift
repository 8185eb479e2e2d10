import ServiceKit
import ChannelSecrets
import Crypto
import EventFlow
import Foundation
import Logging
import Postgres
import Synchronization
import Testing
@testable import Notification

struct DeliveryTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A clock the tests move by hand, so backoff and rate-limit windows pass without sleeping.
final class DeliveryTestClock: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date = Date()) { current = Mutex(start) }
    func now() -> Date { current.withLock { $0 } }
    func advance(seconds: Double) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// A new database with EventFlow's and the notification service's schema,
/// dropped afterwards; plus fixtures for people, configs, notifications and deliveries.
final class DeliveryDatabase: Sendable {
    let pool: PostgresPool
    let name: String
    /// Its libpq URL (for processes such as sjctl).
    var url: String {
        let base = ProcessInfo.processInfo.environment["SJ_TEST_DATABASE_URL"] ?? ""
        return String(base[..<(base.lastIndex(of: "/") ?? base.endIndex)]) + "/" + name
    }
    let secrets = SecretBox(key: SymmetricKey(size: .bits256))
    /// The HTTP clients its workers use, shut down when the database goes.
    private let clients = Mutex<[OutboundHTTPClient]>([])

    static let logger: Logger = {
        var logger = Logger(label: "delivery-tests-db")
        logger.logLevel = .warning
        return logger
    }()

    private init(pool: PostgresPool, name: String) {
        self.pool = pool
        self.name = name
    }

    /// The repository's `Services/Notification/Migrations`, found from this file's path.
    static var migrationsFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Services/Notification/Migrations")
    }

    static func with<T: Sendable>(_ body: (DeliveryDatabase) async throws -> T) async throws -> T {
        let base = try #require(
            ProcessInfo.processInfo.environment["SJ_TEST_DATABASE_URL"],
            "SJ_TEST_DATABASE_URL is not set: run through scripts/test.sh")
        let name = "delivery_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let admin = PostgresPool(PostgresConfiguration(connectionString: base, poolSize: 1), logger: logger)
        try await admin.execute("CREATE DATABASE \(identifier: name)")
        let url = String(base[..<base.lastIndex(of: "/")!]) + "/" + name
        let pool = PostgresPool(PostgresConfiguration(connectionString: url, poolSize: 8), logger: logger)
        let database = DeliveryDatabase(pool: pool, name: name)
        let result: Result<T, any Error>
        do {
            try await ServiceSchema.migrate(pool, serviceMigrations: migrationsFolder, logger: logger)
            result = .success(try await body(database))
        } catch {
            result = .failure(error)
        }
        for client in database.clients.withLock({ $0 }) { await client.shutdown() }
        await pool.close()
        _ = try? await admin.execute("DROP DATABASE IF EXISTS \(identifier: name) WITH (FORCE)")
        await admin.close()
        return try result.get()
    }

    /// An HTTP client shut down with the database. Local sinks are private
    /// addresses: allowed unless a test says otherwise.
    func httpClient(
        timeout: Duration = .seconds(5), allowPrivateEndpoints: Bool = true, resolver: (any HostResolving)? = nil
    ) -> OutboundHTTPClient {
        let client = OutboundHTTPClient(
            configuration: .init(timeout: timeout, allowPrivateEndpoints: allowPrivateEndpoints),
            resolver: resolver ?? SystemHostResolver())
        clients.withLock { $0.append(client) }
        return client
    }

    func worker(
        clock: DeliveryTestClock, logs: LogCapture? = nil, sendTimeout: Duration = .seconds(5),
        allowPrivateEndpoints: Bool = true, http: OutboundHTTPClient? = nil,
        configure: (inout DeliveryWorkerConfiguration) -> Void = { _ in }
    ) -> DeliveryWorker {
        var configuration = DeliveryWorkerConfiguration()
        configuration.sendTimeout = sendTimeout
        configuration.pollInterval = .milliseconds(200)
        configure(&configuration)
        let http = http ?? httpClient(timeout: sendTimeout, allowPrivateEndpoints: allowPrivateEndpoints)
        return DeliveryWorker(
            pool: pool, secrets: secrets, senders: ChannelSenders(http: http), configuration: configuration,
            now: { clock.now() }, logger: logs?.logger(label: "delivery-tests") ?? Self.logger)
    }

    // MARK: - Fixtures

    @discardableResult
    func addPerson(_ id: UUID = UUID(), unit: String? = "education", name: String = "王老师", mobile: String? = "13800000001") async throws -> UUID {
        var channels: [String: String] = [:]
        if let mobile { channels["mobile"] = mobile }
        let state = String(decoding: try JSONSerialization.data(withJSONObject: ["id": id.uuidString.lowercased(), "name": name, "channels": channels]), as: UTF8.self)
        try await pool.execute("""
            INSERT INTO directory_people (id, unit_id, name, roles, state, version)
            VALUES (\(id), \(unit), \(name), \(["liaison"]), \(state)::jsonb, 1)
            """)
        return id
    }

    @discardableResult
    func addConfig(
        owner: String, kind: String = "person", channel: Channel, endpoint: String, secret: String? = nil,
        enabled: Bool = true, priority: Int = 100
    ) async throws -> UUID {
        let id = UUID()
        let sealed = secret.map { secrets.seal($0, for: SecretBinding(ownerKind: kind, ownerId: owner, channel: channel.rawValue)) }
        try await pool.execute("""
            INSERT INTO channel_configs (id, owner_kind, owner_id, channel, endpoint, secret, enabled, priority, created_at, updated_at)
            VALUES (\(id), \(kind), \(owner), \(channel.rawValue), \(endpoint), \(sealed), \(enabled), \(priority), now(), now())
            """)
        return id
    }

    func addNotification(eventId: String = "evt-" + UUID().uuidString.lowercased(), recipient: UUID, title: String = "督办函", body: String = "请于三个工作日内回复。", at: Date) async throws -> (id: UUID, eventId: String) {
        let id = UUID()
        try await pool.execute("""
            INSERT INTO notifications (id, event_id, event_type, recipient_id, unit_id, class, title, body, created_at)
            VALUES (\(id), \(eventId), 'cn.gov.fangxian.shuangjian.scheduling.letter.issued.v1', \(recipient), 'education',
                    'letter', \(title), \(body), \(at))
            """)
        return (id, eventId)
    }

    /// A pending delivery due at `at`; nil when the notification has one on
    /// `channel` already (as the handlers insert them).
    @discardableResult
    func addDelivery(notification: UUID, eventId: String, recipient: UUID, channel: Channel, at: Date) async throws -> UUID? {
        let key = DeliveryKey.make(eventId: eventId, recipientId: recipient)
        return try await pool.query("""
            INSERT INTO deliveries (id, notification_id, channel, idempotency_key, state, next_attempt_at, created_at)
            VALUES (\(UUID()), \(notification), \(channel.rawValue), \(key), 'pending', \(at), \(at))
            ON CONFLICT DO NOTHING RETURNING id
            """).first?.decode(0, as: UUID.self)
    }

    /// One person, a config and a notification with its delivery on `channel`.
    func addRecipient(channel: Channel, endpoint: String, secret: String? = nil, at: Date) async throws -> (person: UUID, delivery: UUID, eventId: String) {
        let person = try await addPerson()
        try await addConfig(owner: person.uuidString.lowercased(), channel: channel, endpoint: endpoint, secret: secret)
        let notification = try await addNotification(recipient: person, at: at)
        let delivery = try #require(try await addDelivery(
            notification: notification.id, eventId: notification.eventId, recipient: person, channel: channel, at: at))
        return (person, delivery, notification.eventId)
    }

    // MARK: - Reading back

    struct Row: Sendable {
        var state: String
        var attempts: Int
        var nextAttemptAt: Date
        var lastError: String?
        var leaseUntil: Date?
    }

    func delivery(_ id: UUID) async throws -> Row {
        let row = try #require(try await pool.query("""
            SELECT state, attempts, next_attempt_at, last_error, lease_until FROM deliveries WHERE id = \(id)
            """).first)
        let (state, attempts, next, error, lease) = try row.decode((String, Int, Date, String?, Date?).self)
        return Row(state: state, attempts: attempts, nextAttemptAt: next, lastError: error, leaseUntil: lease)
    }

    func attempts(_ id: UUID) async throws -> [(attempt: Int, status: Int?, error: String?)] {
        try await pool.query("""
            SELECT attempt, status_code, error FROM delivery_attempts WHERE delivery_id = \(id) ORDER BY attempt
            """).map { try $0.decode((Int, Int?, String?).self) }.map { (attempt: $0.0, status: $0.1, error: $0.2) }
    }

    /// How long attempt `attempt` of a delivery took, as recorded.
    func attemptDurationMs(_ id: UUID, attempt: Int) async throws -> Int {
        try await pool.query("""
            SELECT duration_ms FROM delivery_attempts WHERE delivery_id = \(id) AND attempt = \(attempt)
            """)[0].decode(0, as: Int.self)
    }

    /// The outbox events of one delivery, in order: (type, payload JSON text).
    func events(_ id: UUID) async throws -> [(type: String, payload: String)] {
        try await pool.query("""
            SELECT type, payload::text FROM outbox WHERE aggregateid = \(id.uuidString.lowercased()) ORDER BY seq
            """).map { try $0.decode((String, String).self) }.map { (type: $0.0, payload: $0.1) }
    }

    /// Every text the service stored that could carry an error.
    func storedErrorTexts() async throws -> [String] {
        var texts = try await pool.query("SELECT coalesce(error, '') FROM delivery_attempts").map { try $0.decode(0, as: String.self) }
        texts += try await pool.query("SELECT coalesce(last_error, '') FROM deliveries").map { try $0.decode(0, as: String.self) }
        texts += try await pool.query("SELECT payload::text FROM outbox").map { try $0.decode(0, as: String.self) }
        return texts
    }
}


