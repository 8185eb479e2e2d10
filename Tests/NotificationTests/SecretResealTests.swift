import ChannelSecrets
import Foundation
import Postgres
import Testing
@testable import Notification

/// `sjctl secrets reseal` as a process, against a notification database
/// whose secrets were sealed with the old key: every secret moves to the
/// newest key, one transaction and one audit entry each; a second run
/// changes nothing; a secret under a key it was not given is reported.
@Suite struct SecretResealTests {
    static let oldKey = String(repeating: "1a", count: 32)
    static let newKey = String(repeating: "2b", count: 32)

    struct Run {
        var status: Int32
        var output: String
    }

    static func sjctl(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> Run {
        let bin = try #require(ProcessInfo.processInfo.environment["SJ_BIN_DIR"], "run through scripts/test.sh")
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("reseal-\(UUID().uuidString.prefix(8)).log")
        var environment = ProcessInfo.processInfo.environment
        // The test run's own key must not leak in unless a test asks.
        for name in ["SJ_DATABASE_URL", "SJ_NOTIFICATION_SECRET_KEY", "SJ_NOTIFICATION_SECRET_KEYS"] { environment[name] = nil }
        environment.merge(extra) { $1 }
        let process = try launchProcess(
            URL(fileURLWithPath: bin).appendingPathComponent("sjctl"), arguments: arguments, environment: environment, log: log)
        let deadline = ContinuousClock.now + .seconds(120)
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                process.terminate()
                throw DeliveryTestError("sjctl \(arguments.joined(separator: " ")) did not finish within 120 s")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: log)
        return Run(status: process.terminationStatus, output: output)
    }

    static func insert(_ db: DeliveryDatabase, owner: String, channel: String, sealed: Data) async throws -> UUID {
        let id = UUID()
        try await db.pool.execute("""
            INSERT INTO channel_configs (id, owner_kind, owner_id, channel, endpoint, secret, enabled, created_at, updated_at)
            VALUES (\(id), 'unit', \(owner), \(channel), 'https://203.0.113.10/hook', \(sealed), true, now(), now())
            """)
        return id
    }

    static func secret(_ db: DeliveryDatabase, _ id: UUID) async throws -> Data {
        try await db.pool.query("SELECT secret FROM channel_configs WHERE id = \(id)")[0].decode(0, as: Data.self)
    }

    @Test func resealMovesEverySecretToTheNewestKeyOnce() async throws {
        try await DeliveryDatabase.with { db in
            let old = SecretBox(keyring: try SecretKeyring(list: "old:\(Self.oldKey)"))
            let webhook = SecretBinding(ownerKind: "unit", ownerId: "finance-bureau", channel: "webhook")
            let sms = SecretBinding(ownerKind: "unit", ownerId: "finance-bureau", channel: "sms")
            let first = try await Self.insert(db, owner: "finance-bureau", channel: "webhook", sealed: old.seal("webhook-secret-0123456", for: webhook))
            let second = try await Self.insert(db, owner: "finance-bureau", channel: "sms", sealed: old.seal("sms-gateway-secret-789", for: sms))
            let keys = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID())")
            try Data("new:\(Self.newKey),old:\(Self.oldKey)\n".utf8).write(to: keys)
            defer { try? FileManager.default.removeItem(at: keys) }

            let run = try await Self.sjctl(["secrets", "reseal", "--database-url", db.url, "--keys-file", keys.path])
            #expect(run.status == 0, "\(run.output)")
            #expect(run.output.contains("resealed 2, already on key new 0, cannot be opened 0"), "\(run.output)")

            // With the old key gone, both still open.
            let newOnly = SecretBox(keyring: try SecretKeyring(list: "new:\(Self.newKey)"))
            #expect(try newOnly.open(try await Self.secret(db, first), for: webhook) == "webhook-secret-0123456")
            #expect(try newOnly.open(try await Self.secret(db, second), for: sms) == "sms-gateway-secret-789")
            let audit = try await db.pool.query("""
                SELECT actor_subject, aggregate_id FROM audit_log WHERE action = \(ResealAudit.action) ORDER BY seq
                """).map { try $0.decode((String, String).self) }
            #expect(audit.map(\.0) == ["sjctl.secrets-reseal", "sjctl.secrets-reseal"])
            #expect(Set(audit.map(\.1)) == [first.uuidString.lowercased(), second.uuidString.lowercased()])

            // Again, keys from the service's own variable: nothing to do.
            let before = try await Self.secret(db, first)
            let again = try await Self.sjctl(
                ["secrets", "reseal", "--database-url", db.url],
                environment: ["SJ_NOTIFICATION_SECRET_KEYS": "new:\(Self.newKey),old:\(Self.oldKey)"])
            #expect(again.status == 0, "\(again.output)")
            #expect(again.output.contains("resealed 0, already on key new 2, cannot be opened 0"), "\(again.output)")
            #expect(try await Self.secret(db, first) == before)
            #expect(try await db.pool.query("SELECT count(*)::int FROM audit_log WHERE action = \(ResealAudit.action)")[0]
                .decode(0, as: Int.self) == 2)
        }
    }

    @Test func aSecretUnderAnUnknownKeyIsReportedAndTheRestMoved() async throws {
        try await DeliveryDatabase.with { db in
            let lost = SecretBox(keyring: try SecretKeyring(list: "lost:\(Self.oldKey)"))
            let old = SecretBox(keyring: try SecretKeyring(list: "old:\(Self.oldKey)"))
            let binding = SecretBinding(ownerKind: "unit", ownerId: "health-bureau", channel: "webhook")
            let unreadable = try await Self.insert(db, owner: "health-bureau", channel: "webhook", sealed: lost.seal("webhook-secret-0123456", for: binding))
            let readable = try await Self.insert(
                db, owner: "health-bureau", channel: "sms",
                sealed: old.seal("sms-gateway-secret-789", for: SecretBinding(ownerKind: "unit", ownerId: "health-bureau", channel: "sms")))
            let run = try await Self.sjctl(
                ["secrets", "reseal", "--database-url", db.url],
                environment: ["SJ_NOTIFICATION_SECRET_KEYS": "new:\(Self.newKey),old:\(Self.oldKey)"])
            #expect(run.status == 1, "\(run.output)")
            #expect(run.output.contains("resealed 1, already on key new 0, cannot be opened 1"), "\(run.output)")
            #expect(run.output.contains("channel \(unreadable.uuidString.lowercased()): a stored channel secret was sealed with key lost"), "\(run.output)")
            #expect(SecretBox.keyId(of: try await Self.secret(db, readable)) == "new")
            #expect(SecretBox.keyId(of: try await Self.secret(db, unreadable)) == "lost", "left as it was")

            let bad = try await Self.sjctl(["secrets", "reseal", "--database-url", db.url], environment: ["SJ_NOTIFICATION_SECRET_KEYS": "new"])
            #expect(bad.status == 2, "\(bad.output)")
            #expect(bad.output.contains("SJ_NOTIFICATION_SECRET_KEYS is not usable"))
        }
    }
}

/// The audit action `sjctl secrets reseal` records (Services/Ctl/Secrets/ResealSecretsCommand.swift).
enum ResealAudit {
    static let action = "cn.gov.fangxian.shuangjian.notification.channel.secret-resealed"
}
