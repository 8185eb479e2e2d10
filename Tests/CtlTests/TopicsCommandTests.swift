import Domain
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Kafka
import Testing
@testable import Ctl

/// A cluster that answers CreateTopics, which the local broker does not.
actor FakeTopicCluster: TopicCluster {
    private(set) var existing: [String: Int32]
    private(set) var createCalls: [[KafkaTopicSpec]] = []

    init(existing: [String: Int32]) { self.existing = existing }

    func topics(timeout: Duration) async throws -> [String: Int32] { existing }

    func create(_ topics: [KafkaTopicSpec], timeout: Duration) async throws {
        createCalls.append(topics)
        for topic in topics where existing[topic.name] == nil { existing[topic.name] = topic.partitions }
    }
}

@Suite struct TopicPlanTests {
    @Test func missingTopicsAreCreatedWithTheirCatalogSettings() {
        let catalog = TopicCatalog()
        var existing = Dictionary(uniqueKeysWithValues: Topic.all.map { ($0, Int32(6)) })
        existing[Topic.schedulingTasks] = 3
        existing["__consumer_offsets"] = 50
        existing["somebody.elses.topic"] = 1
        let plan = TopicPlan(catalog: catalog, existing: existing, partitions: 6, replicationFactor: 3)

        #expect(plan.missing == ConsumerGroup.all.flatMap(\.deadLetterTopics))
        #expect(plan.toCreate.map(\.name) == plan.missing)
        let unitsDLQ = plan.toCreate.first { $0.name == "shuangjian.registry.units.notification.dlq" }
        #expect(unitsDLQ == KafkaTopicSpec(
            name: "shuangjian.registry.units.notification.dlq", partitions: 6, replicationFactor: 3,
            configs: ["retention.ms": "-1"]))
        #expect(plan.rows.first { $0.topic == Topic.schedulingTasks }?.note?.hasPrefix("has 3 partitions, fewer than --partitions 6") == true)
        #expect(plan.rows.last == TopicPlan.Row(topic: "somebody.elses.topic", state: .notInCatalog(partitions: 1)))
        #expect(!plan.rows.contains { $0.topic == "__consumer_offsets" })
        let table = plan.table()
        #expect(table.contains { $0.hasPrefix("shuangjian.registry.units.notification.dlq") && $0.hasSuffix("missing") })
    }

    @Test func createIsIdempotent() async throws {
        let cluster = FakeTopicCluster(existing: [Topic.registryUnits: 6])
        let creation = TopicCreation(
            cluster: cluster, catalog: TopicCatalog(), partitions: 4, replicationFactor: -1, timeout: .seconds(5),
            brokers: "fake:9092")
        var said: [String] = []
        let first = try await creation.run(dryRun: false) { said.append($0) }
        #expect(first.before.toCreate.count == TopicCatalog().entries.count - 1)
        #expect(first.after.missing.isEmpty)
        #expect(await cluster.createCalls.count == 1)
        #expect(await cluster.createCalls.first?.allSatisfy { $0.partitions == 4 && $0.replicationFactor == -1 } == true)
        #expect(said.contains { $0.contains("creating shuangjian.registry.people (partitions 4, replication factor broker default, retention.ms=-1)") })

        said = []
        let second = try await creation.run(dryRun: false) { said.append($0) }
        #expect(second.before.toCreate.isEmpty)
        #expect(await cluster.createCalls.count == 1, "nothing asked of the cluster the second time")
        #expect(said.last?.hasPrefix("all \(TopicCatalog().entries.count) topics of the catalog exist") == true)
    }

    @Test func aDryRunCreatesNothing() async throws {
        let cluster = FakeTopicCluster(existing: [:])
        let creation = TopicCreation(
            cluster: cluster, catalog: TopicCatalog(), partitions: 6, replicationFactor: 1, timeout: .seconds(5), brokers: "fake:9092")
        var said: [String] = []
        _ = try await creation.run(dryRun: true) { said.append($0) }
        #expect(await cluster.createCalls.isEmpty)
        #expect(said.filter { $0.hasPrefix("would create") }.count == TopicCatalog().entries.count)
    }
}

/// `sjctl topics` against the local broker, which answers metadata but no
/// CreateTopics: listing, the dry run, and `create` when nothing is missing.
@Suite(.serialized) struct TopicsCommandTests {
    @Test func listThenCreateWhenEverythingExists() async throws {
        // The event topics exist (the dev broker creates them); the dead-letter topics may not.
        let before = try await sjctl(["topics", "list", "--timeout", "10"])
        #expect(before.status == 0 || before.status == 3, "\(before)")
        for topic in Topic.all {
            #expect(before.lines.contains { $0.hasPrefix(topic + " ") && $0.hasSuffix("ok") }, "\(topic): \(before)")
        }
        for name in TopicCatalog().names {
            #expect(before.lines.contains { $0.hasPrefix(name + " ") }, "\(name) not listed: \(before)")
        }
        let dryRun = try await sjctl(["topics", "create", "--dry-run", "--partitions", "6"])
        #expect(dryRun.status == 0, "\(dryRun)")

        // Make the rest through the control API, as the local broker cannot be asked through Kafka.
        let control = try #require(ProcessInfo.processInfo.environment["SJ_BROKER_CONTROL"])
        for name in TopicCatalog().names where !before.lines.contains(where: { $0.hasPrefix(name + " ") && $0.hasSuffix("ok") }) {
            try await postTopic(control: control, name: name)
        }
        let create = try await sjctl(["topics", "create", "--partitions", "6", "--replication-factor", "1"])
        #expect(create.status == 0, "\(create)")
        #expect(create.stdout.contains("topics of the catalog exist"), "\(create)")
        let after = try await sjctl(["topics", "list"])
        #expect(after.status == 0, "\(after)")
        #expect(!after.stdout.contains("missing"), "\(after)")
    }

    @Test func tlsAgainstThePlaintextBrokerFailsWithATLSErrorNamingTheBroker() async throws {
        let brokers = try CtlEnv.brokers()
        let result = try await sjctl(
            ["topics", "list", "--timeout", "3"], environment: ["SJ_KAFKA_SECURITY_PROTOCOL": "ssl"], timeout: .seconds(30))
        #expect(result.status == 1, "\(result)")
        // librdkafka's reason, e.g. "ssl://127.0.0.1:19092/bootstrap: SSL handshake failed: ..." or, when
        // the broker closes first, "...: error:0A000126:SSL routines::unexpected eof while reading (after 1ms
        // in state SSL_HANDSHAKE)": which one depends on timing.
        #expect(result.stderr.contains("ssl://\(brokers)/"), "\(result)")
        #expect(result.stderr.contains("SSL handshake failed") || result.stderr.contains("SSL_HANDSHAKE"), "\(result)")
    }

    @Test func anUnknownOrInvalidSettingIsRefusedNamingTheVariable() async throws {
        let unknown = try await sjctl(["topics", "list"], environment: ["SJ_KAFKA_SASL_MECHANISMS": "PLAIN"])
        #expect(unknown.status == 78, "\(unknown)")
        #expect(unknown.stderr.contains("SJ_KAFKA_SASL_MECHANISMS is not a known setting"), "\(unknown)")
        let missingFile = try await sjctl(
            ["dlq", "list"],
            environment: ["SJ_KAFKA_SECURITY_PROTOCOL": "ssl", "SJ_KAFKA_TLS_CA_FILE": "/nonexistent/ca.pem"])
        #expect(missingFile.status == 78, "\(missingFile)")
        #expect(missingFile.stderr.contains("SJ_KAFKA_TLS_CA_FILE=/nonexistent/ca.pem is not a readable file"), "\(missingFile)")
    }

    private func postTopic(control: String, name: String) async throws {
        var request = URLRequest(url: try #require(URL(string: control + "/topics")))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: ["name": name, "partitions": 6])
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        // 400: it exists already (created meanwhile by another test's dead letter).
        #expect(status == 201 || status == 400, "POST /topics \(name): \(status) \(String(decoding: data, as: UTF8.self))")
    }
}
