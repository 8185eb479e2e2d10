import Domain
import Kafka

/// What `sjctl topics` needs of a cluster: its topics, and creating some.
/// `KafkaAdmin` against Kafka; a fake in the tests, because the local
/// broker (librdkafka's mock) answers no CreateTopics request.
protocol TopicCluster: Sendable {
    func topics(timeout: Duration) async throws -> [String: Int32]
    /// Creates the topics; one that already exists is not an error.
    func create(_ topics: [KafkaTopicSpec], timeout: Duration) async throws
}

extension KafkaAdmin: TopicCluster {
    func topics(timeout: Duration) async throws -> [String: Int32] {
        let listed = try await listTopics(timeout: timeout)
        return Dictionary(listed.map { ($0.name, $0.partitions) }, uniquingKeysWith: { first, _ in first })
    }

    func create(_ topics: [KafkaTopicSpec], timeout: Duration) async throws {
        try await createTopics(topics, timeout: timeout)
    }
}

/// A failure of `sjctl topics` the operator can act on; printed as
/// `Error: <description>`, exit status 1.
struct TopicsFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// `sjctl topics create` without the command line: reads the cluster's
/// topics, creates the catalog's missing ones, then reads again until every
/// one shows in the metadata (a new topic takes a moment to appear there).
struct TopicCreation {
    let cluster: any TopicCluster
    let catalog: TopicCatalog
    let partitions: Int32
    let replicationFactor: Int16
    let timeout: Duration
    let brokers: String

    /// The plan before creating (what was missing) and after (every topic present).
    func run(dryRun: Bool, say: (String) -> Void) async throws -> (before: TopicPlan, after: TopicPlan) {
        let before = TopicPlan(
            catalog: catalog, existing: try await existing(), partitions: partitions, replicationFactor: replicationFactor)
        for row in before.rows { if let note = row.note { say("note: \(row.topic) \(note)") } }
        guard !before.toCreate.isEmpty else {
            say("all \(catalog.entries.count) topics of the catalog exist at \(brokers); nothing to create")
            return (before, before)
        }
        for spec in before.toCreate {
            let configs = spec.configs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            say("\(dryRun ? "would create" : "creating") \(spec.name) (partitions \(Self.text(spec.partitions)), "
                + "replication factor \(Self.text(Int32(spec.replicationFactor)))\(configs.isEmpty ? "" : ", \(configs)"))")
        }
        if dryRun { return (before, before) }
        do {
            try await cluster.create(before.toCreate, timeout: timeout)
        } catch let error as KafkaError {
            throw TopicsFailure("creating topics at \(brokers): \(error.message)")
        }
        // Metadata catches up with a create within a moment; wait for it, bounded.
        let deadline = ContinuousClock.now + timeout
        var after = before
        repeat {
            after = TopicPlan(
                catalog: catalog, existing: try await existing(), partitions: partitions, replicationFactor: replicationFactor)
            if after.missing.isEmpty { break }
            try await Task.sleep(for: .milliseconds(200))
        } while ContinuousClock.now < deadline
        guard after.missing.isEmpty else {
            throw TopicsFailure("created, but still missing from the metadata after \(timeout): \(after.missing.joined(separator: ", "))")
        }
        say("created \(before.toCreate.count) topic\(before.toCreate.count == 1 ? "" : "s"); all \(catalog.entries.count) exist")
        return (before, after)
    }

    private func existing() async throws -> [String: Int32] {
        do {
            return try await cluster.topics(timeout: timeout)
        } catch let error as KafkaError {
            throw TopicsFailure("cannot reach Kafka at \(brokers) within \(timeout): \(error.message) (check --brokers or SJ_KAFKA_BROKERS)")
        }
    }

    private static func text(_ value: Int32) -> String { value < 0 ? "broker default" : String(value) }
}
