import Testing
@testable import ServiceKit

@Suite struct ConfigurationTests {
    static let secret = ["SJ_JWT_SECRET": String(repeating: "s", count: 32)]

    @Test func defaultsNeedOnlyTheSecret() throws {
        let config = try ServiceConfiguration.fromEnvironment(service: "registry", defaultPort: 8081, environment: Self.secret)
        #expect(config.httpHost == "127.0.0.1")
        #expect(config.httpPort == 8081)
        #expect(config.databaseURL == "postgresql://shuangjian@127.0.0.1:55432/shuangjian_registry")
        #expect(config.kafkaBrokers == "127.0.0.1:9092")
        #expect(config.readinessTimeout == .milliseconds(2000))
        #expect(config.auditHeadInterval == .milliseconds(5000))
    }

    @Test func theAuditHeadIntervalIsReadAndChecked() throws {
        let config = try ServiceConfiguration.fromEnvironment(
            service: "registry", defaultPort: 8081, environment: Self.secret.merging(["SJ_AUDIT_HEAD_INTERVAL_MS": "250"]) { $1 })
        #expect(config.auditHeadInterval == .milliseconds(250))
        for bad in ["0", "99", "soon", "3600001"] {
            #expect {
                _ = try ServiceConfiguration.fromEnvironment(
                    service: "registry", defaultPort: 8081,
                    environment: Self.secret.merging(["SJ_AUDIT_HEAD_INTERVAL_MS": bad]) { $1 })
            } throws: { error in
                (error as? ConfigurationError)?.problems == ["SJ_AUDIT_HEAD_INTERVAL_MS=\(bad) is not an integer in 100...3600000"]
            }
        }
    }

    @Test func everyInvalidVariableIsNamed() {
        #expect {
            _ = try ServiceConfiguration.fromEnvironment(
                service: "registry", defaultPort: 8081,
                environment: Self.secret.merging([
                    "SJ_HTTP_PORT": "eighty", "SJ_LOG_LEVEL": "loud", "SJ_KAFKA_BROKERS": " ",
                    "SJ_READY_TIMEOUT_MS": "0",
                ]) { $1 })
        } throws: { error in
            let problems = (error as? ConfigurationError)?.problems ?? []
            return problems.count == 4
                && problems.contains { $0.hasPrefix("SJ_HTTP_PORT=eighty") }
                && problems.contains { $0.hasPrefix("SJ_LOG_LEVEL=loud") }
                && problems.contains { $0.hasPrefix("SJ_KAFKA_BROKERS") }
                && problems.contains { $0.hasPrefix("SJ_READY_TIMEOUT_MS=0") }
        }
    }

    @Test func aMissingSecretIsReportedWithTheOtherProblems() {
        #expect {
            _ = try ServiceConfiguration.fromEnvironment(
                service: "registry", defaultPort: 8081, environment: ["SJ_HTTP_PORT": "eighty"])
        } throws: { error in
            let problems = (error as? ConfigurationError)?.problems ?? []
            return problems.count == 2 && problems.contains { $0.hasPrefix("SJ_JWT_SECRET is missing") }
        }
    }

    @Test func aShortSecretIsRefusedWithoutEchoingIt() {
        #expect {
            _ = try ServiceConfiguration.fromEnvironment(
                service: "registry", defaultPort: 8081, environment: ["SJ_JWT_SECRET": "hunter2-is-too-short"])
        } throws: { error in
            let text = "\(error)"
            return text.contains("SJ_JWT_SECRET is invalid") && text.contains("20 bytes") && !text.contains("hunter2")
        }
    }

    @Test func theSecretNeverPrints() throws {
        let config = try ServiceConfiguration.fromEnvironment(
            service: "registry", defaultPort: 8081, environment: ["SJ_JWT_SECRET": "a-very-secret-value-of-32-bytes-or-more"])
        for text in ["\(config)", String(reflecting: config), "\(config.jwtSecret)", String(reflecting: config.jwtSecret)] {
            #expect(!text.contains("very-secret"))
        }
    }
}
