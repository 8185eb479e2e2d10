import Audit
import Foundation
import Postgres
import ServiceKit
import Testing

/// A real service binary (the registry) with its own database and a private
/// broker: ServiceBootstrap migrates the audit tables, publishes the heads of
/// what its write paths append, and answers GET /v1/audit; `sjctl audit
/// verify` then passes, and fails naming the row after a manual UPDATE with
/// the trigger disabled — the "done when", with entries appended
/// here as a write path would.
@Suite(.serialized) struct AuditServiceTests {
    @Test func aRunningServicePublishesItsHeadsAndVerifyNamesATamperedRow() async throws {
        try await withDevBroker { brokers in
            let env = ProcessInfo.processInfo.environment
            let (name, url) = try await makeDatabase(
                from: try AuditEnv.value("SJ_TEST_DATABASE_URL"), prefix: "registry_audit_", length: 12, logger: AuditEnv.logger)
            let port = try freePort()
            var environment = env
            environment["SJ_DATABASE_URL"] = url
            environment["SJ_HTTP_PORT"] = "\(port)"
            environment["SJ_KAFKA_BROKERS"] = brokers
            environment["SJ_AUDIT_HEAD_INTERVAL_MS"] = "100"
            environment["SJ_LOG_LEVEL"] = "warning"
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("registry-\(name).log")
            let registry = try launchProcess(
                try AuditEnv.binDirectory().appendingPathComponent("registry"), environment: environment, log: log)
            defer { if registry.isRunning { registry.terminate() } }
            try await waitUntilReady("registry", process: registry, log: log) {
                (try? await ContractResponse.send(port: port, "GET", "/health/ready", token: nil))?.status == 200
            }

            // What a write path does, in its own transaction.
            let database = AuditDatabase(
                url: url, pool: PostgresPool(PostgresConfiguration(connectionString: url, poolSize: 2), logger: AuditEnv.logger))
            try await database.append(3, by: AuditActor(Principal(subject: "office-1", role: .office)))
            _ = try await AuditHeadPublisherTests.waitForHead("registry", seq: 3, brokers)

            let token = try TokenSigner(secret: JWTSecret(try AuditEnv.value("SJ_JWT_SECRET")))
                .sign(Principal(subject: "office-1", role: .office), ttl: .seconds(600))
            let page = try await ContractResponse.send(port: port, "GET", "/v1/audit?aggregate=unit-1", token: token)
            #expect(page.status == 200 && page.json["total"] as? Int == 1, "\(page.text)")

            let verified = try await SjctlRun.run(["audit", "verify", "--service", "registry", "--database-url", url, "--brokers", brokers])
            #expect(verified.status == 0, "\(verified)")
            #expect(verified.output.contains("OK registry: 3 entries and "), "\(verified)")

            try await database.tamper("UPDATE audit_log SET action = 'cn.gov.fangxian.shuangjian.registry.unit.retired.v1' WHERE seq = 2")
            let tampered = try await SjctlRun.run(["audit", "verify", "--service", "registry", "--database-url", url, "--brokers", brokers])
            #expect(tampered.status == 1, "\(tampered)")
            #expect(tampered.output.contains("FAILED registry: entry 2: stored hash does not match its contents"), "\(tampered)")
            await database.close()
        }
    }
}
