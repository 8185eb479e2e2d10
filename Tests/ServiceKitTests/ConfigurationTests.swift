import Testing
@testable import ServiceKit

@Suite struct ConfigurationTests {
    @Test func defaultsNeedNoVariables() throws {
        let config = try ServiceConfiguration.fromEnvironment(service: "registry", defaultPort: 8081, environment: [:])
        #expect(config.httpHost == "127.0.0.1")
        #expect(config.httpPort == 8081)
        #expect(config.databaseURL == "postgresql://shuangjian@127.0.0.1:55432/shuangjian_registry")
        #expect(config.kafkaBrokers == "127.0.0.1:9092")
    }

    @Test func everyInvalidVariableIsNamed() {
        #expect {
            _ = try ServiceConfiguration.fromEnvironment(
                service: "registry", defaultPort: 8081,
                environment: ["SJ_HTTP_PORT": "eighty", "SJ_LOG_LEVEL": "loud", "SJ_KAFKA_BROKERS": " "])
        } throws: { error in
            let problems = (error as? ConfigurationError)?.problems ?? []
            return problems.count == 3
                && problems.contains { $0.hasPrefix("SJ_HTTP_PORT=eighty") }
                && problems.contains { $0.hasPrefix("SJ_LOG_LEVEL=loud") }
                && problems.contains { $0.hasPrefix("SJ_KAFKA_BROKERS") }
        }
    }
}
