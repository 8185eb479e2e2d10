import Audit
import Domain
import Foundation
import Postgres
import ServiceKit
import Testing

/// A real service binary (the registry) with its own database and a private
/// broker: its seed and a few changes through its API write audit entries, a
/// refused request writes none, the heads reach Kafka, GET /v1/audit answers;
/// `sjctl audit verify` then passes, and fails naming the row after a manual
/// UPDATE with the trigger disabled — the "done when".
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

            // The registry's own write paths: the seed (26 units, a system act),
            // then a few changes made by the office through the API.
            let token = try TokenSigner(secret: JWTSecret(try AuditEnv.value("SJ_JWT_SECRET")))
                .sign(Principal(subject: "office-1", role: .office), ttl: .seconds(600))
            let contact = try await ContractResponse.send(
                port: port, "PUT", "/v1/units/education-bureau/contact", token: token,
                json: ["phone": "0719-3222222", "email": "jyj@fangxian.gov.cn"])
            #expect(contact.status == 200, "\(contact.text)")
            let person = try await ContractResponse.send(
                port: port, "POST", "/v1/people", token: token,
                json: ["name": "张三", "unitId": "education-bureau", "roles": ["office"]])
            #expect(person.status == 201, "\(person.text)")
            let refused = try await ContractResponse.send(
                port: port, "PUT", "/v1/units/no-such-unit/contact", token: token, json: ["phone": "0719-3222222"])
            #expect(refused.status == 404, "a failed request writes no entry: \(refused.text)")

            let database = AuditDatabase(
                url: url, pool: PostgresPool(PostgresConfiguration(connectionString: url, poolSize: 2), logger: AuditEnv.logger))
            let head = try await AuditLog.head(in: database.pool)
            #expect(head.seq == 28, "26 seeded units, a contact change and a new person")
            _ = try await AuditHeadPublisherTests.waitForHead("registry", seq: head.seq, brokers)

            let page = try await ContractResponse.send(port: port, "GET", "/v1/audit?aggregate=education-bureau", token: token)
            let actions = (page.json["items"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
            #expect(page.status == 200 && actions == [EventType.unitAdmitted, EventType.unitUpdated], "\(page.text)")

            let verified = try await SjctlRun.run(["audit", "verify", "--service", "registry", "--database-url", url, "--brokers", brokers])
            #expect(verified.status == 0, "\(verified)")
            #expect(verified.output.contains("OK registry: 28 entries and "), "\(verified)")

            try await database.tamper("UPDATE audit_log SET actor_subject = 'someone-else' WHERE seq = 27")
            let tampered = try await SjctlRun.run(["audit", "verify", "--service", "registry", "--database-url", url, "--brokers", brokers])
            #expect(tampered.status == 1, "\(tampered)")
            #expect(tampered.output.contains("FAILED registry: entry 27: stored hash does not match its contents"), "\(tampered)")
            await database.close()
        }
    }
}
