import Foundation
import Kafka
import Testing
@testable import ServiceKit

/// `SJ_KAFKA_*` → the librdkafka properties every client gets.
@Suite struct KafkaEnvironmentTests {
    func file(_ contents: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sj-kafka-\(UUID())")
        try Data(contents.utf8).write(to: url)
        return url.path
    }

    func read(_ environment: [String: String]) -> (KafkaClientSettings, [String]) {
        var reader = EnvironmentReader(environment)
        let settings = reader.kafkaSettings()
        return (settings, reader.problems)
    }

    @Test func plaintextByDefault() {
        let (settings, problems) = read([:])
        #expect(problems == [])
        #expect(settings == KafkaClientSettings(brokers: "127.0.0.1:9092", common: ["security.protocol": "plaintext"]))
    }

    @Test func scramOverTLSWithAPasswordFile() throws {
        let ca = try file("not checked here: librdkafka reads it when a client starts")
        let password = try file("kafka-pass\n")
        let (settings, problems) = read([
            "SJ_KAFKA_BROKERS": "kafka-0.example:9093,kafka-1.example:9093",
            "SJ_KAFKA_SECURITY_PROTOCOL": "SASL_SSL", "SJ_KAFKA_TLS_CA_FILE": ca,
            "SJ_KAFKA_SASL_MECHANISM": "scram-sha-512", "SJ_KAFKA_SASL_USERNAME": "registry",
            "SJ_KAFKA_SASL_PASSWORD_FILE": password,
            "SJ_KAFKA_FETCH_WAIT_MAX_MS": "250", "SJ_KAFKA_SESSION_TIMEOUT_MS": "10000",
            "SJ_KAFKA_HEARTBEAT_INTERVAL_MS": "3000", "SJ_KAFKA_LINGER_MS": "20",
        ])
        #expect(problems == [])
        #expect(settings.brokers == "kafka-0.example:9093,kafka-1.example:9093")
        #expect(settings.common == [
            "security.protocol": "sasl_ssl", "ssl.ca.location": ca, "sasl.mechanism": "SCRAM-SHA-512",
            "sasl.username": "registry", "sasl.password": "kafka-pass",
        ])
        #expect(settings.consumer == ["fetch.wait.max.ms": "250", "session.timeout.ms": "10000", "heartbeat.interval.ms": "3000"])
        #expect(settings.producer == ["linger.ms": "20"])
        // Every client kind gets them.
        let producer = KafkaProducerConfiguration(settings: settings, clientId: "p")
        #expect(producer.properties["sasl.password"] == "kafka-pass" && producer.properties["linger.ms"] == "20")
        let consumer = KafkaConsumerConfiguration(settings: settings, groupId: "g", topics: ["t"])
        #expect(consumer.properties["ssl.ca.location"] == ca && consumer.properties["session.timeout.ms"] == "10000")
        #expect(consumer.properties["linger.ms"] == nil)
    }

    @Test func anUnknownVariableIsRefusedByName() {
        let (_, problems) = read(["SJ_KAFKA_SASL_MECHANISMS": "PLAIN", "SJ_KAFKA_PORT": "9092"])
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("SJ_KAFKA_SASL_MECHANISMS is not a known setting") == true)
    }

    @Test func inconsistentSecuritySettingsAreNamed() throws {
        let password = try file("x")
        let (_, problems) = read([
            "SJ_KAFKA_TLS_CA_FILE": "/nonexistent/ca.pem", "SJ_KAFKA_SASL_PASSWORD_FILE": password,
        ])
        #expect(problems == [
            "SJ_KAFKA_TLS_CA_FILE is set but SJ_KAFKA_SECURITY_PROTOCOL is plaintext: set it to ssl or sasl_ssl",
            "SJ_KAFKA_SASL_PASSWORD_FILE is set but SJ_KAFKA_SECURITY_PROTOCOL is plaintext: set it to sasl_ssl or sasl_plaintext",
        ])
        let (_, sasl) = read(["SJ_KAFKA_SECURITY_PROTOCOL": "sasl_ssl", "SJ_KAFKA_SASL_MECHANISM": "GSSAPI"])
        #expect(sasl.contains("SJ_KAFKA_SASL_MECHANISM=GSSAPI is not one of SCRAM-SHA-256, SCRAM-SHA-512, PLAIN"))
        #expect(sasl.contains { $0.hasPrefix("SJ_KAFKA_SASL_USERNAME is missing") })
        #expect(sasl.contains { $0.hasPrefix("SJ_KAFKA_SASL_PASSWORD_FILE (or SJ_KAFKA_SASL_PASSWORD) is missing") })
        let (_, tls) = read(["SJ_KAFKA_SECURITY_PROTOCOL": "ssl", "SJ_KAFKA_TLS_CA_FILE": "/nonexistent/ca.pem"])
        #expect(tls == ["SJ_KAFKA_TLS_CA_FILE=/nonexistent/ca.pem is not a readable file"])
    }

    @Test func tuningOutOfRangeIsNamed() {
        let (_, problems) = read([
            "SJ_KAFKA_FETCH_WAIT_MAX_MS": "soon", "SJ_KAFKA_SESSION_TIMEOUT_MS": "6000", "SJ_KAFKA_HEARTBEAT_INTERVAL_MS": "6000",
        ])
        #expect(problems == [
            "SJ_KAFKA_FETCH_WAIT_MAX_MS=soon is not an integer in 0...300000",
            "SJ_KAFKA_HEARTBEAT_INTERVAL_MS=6000 must be below the session timeout (6000 ms); a third of it is usual",
        ])
    }

    /// A crashed member's partitions are free after 6 s, not librdkafka's 45;
    /// static membership comes from SJ_KAFKA_GROUP_INSTANCE_ID (a known variable).
    @Test func consumersHaveAShortSessionAndOptionalStaticMembership() {
        let defaults = KafkaConsumerConfiguration(settings: read([:]).0, groupId: "g", topics: ["t"])
        #expect(defaults.sessionTimeoutMs == 6000 && defaults.groupInstanceId == nil)
        var properties: [String: String] = [:]
        for (key, value) in defaults.librdkafkaPropertiesForTests { properties[key] = value }
        #expect(properties["session.timeout.ms"] == "6000" && properties["heartbeat.interval.ms"] == "2000")
        #expect(properties["group.instance.id"] == nil)

        #expect(KafkaEnvironment.known.contains("SJ_KAFKA_GROUP_INSTANCE_ID"))
        let (settings, problems) = read(["SJ_KAFKA_GROUP_INSTANCE_ID": "notification-7c9f-x2", "SJ_KAFKA_SESSION_TIMEOUT_MS": "9000"])
        #expect(problems == [])
        #expect(settings.consumer == ["group.instance.id": "notification-7c9f-x2", "session.timeout.ms": "9000"])
        let consumer = KafkaConsumerConfiguration(settings: settings, groupId: "g", topics: ["t"])
        #expect(consumer.groupInstanceId == "notification-7c9f-x2" && consumer.sessionTimeoutMs == 9000)
        #expect(KafkaProducerConfiguration(settings: settings).properties["group.instance.id"] == nil)

        let (_, bad) = read(["SJ_KAFKA_GROUP_INSTANCE_ID": "pod name/1"])
        #expect(bad.count == 1 && bad[0].hasPrefix("SJ_KAFKA_GROUP_INSTANCE_ID=pod name/1 must be"))
    }

    @Test func whatLibrdkafkaRefusesIsNamedByVariable() {
        // librdkafka's own check of a property, by the variable behind it.
        let settings = KafkaClientSettings(brokers: "b", common: ["security.protocol": "carrier-pigeon"])
        #expect(settings.rejectedProperties().map(\.key) == ["security.protocol"])
    }
}
