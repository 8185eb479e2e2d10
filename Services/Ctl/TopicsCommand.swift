import ArgumentParser
import Domain
import Foundation
import Kafka

/// `sjctl topics`: the topics a deployment needs, from the project's own
/// catalog (`Topic.all` and the dead-letter topics of every consumer group
/// in `ConsumerGroup.all`, each with its configs from `Topic.settings`).
/// Where topic auto-creation is off — production — this is how they exist.
struct TopicsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics",
        abstract: "Create or list the topics of the catalog (event topics and consumer groups' dead-letter topics).",
        subcommands: [CreateTopicsCommand.self, ListTopicsCommand.self])
}

struct CreateTopicsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create every topic of the catalog that does not exist yet (idempotent).",
        discussion: """
            Existing topics are left as they are (also their partition count: adding partitions moves \
            keys to other partitions). Exit status: 0 done, 1 failed, 64 bad arguments, 78 bad SJ_KAFKA_* settings.
            """)

    @OptionGroup var connection: KafkaConnectionOptions

    @Option(help: "Partitions of each topic created; -1: the broker's num.partitions.")
    var partitions: Int32 = 6

    @Option(help: "Replication factor of each topic created; -1: the broker's default.replication.factor.")
    var replicationFactor: Int16 = -1

    @Flag(help: "Print what would be created; create nothing.")
    var dryRun = false

    func validate() throws {
        guard partitions == -1 || partitions >= 1 else { throw ValidationError("--partitions must be at least 1 (or -1)") }
        guard replicationFactor == -1 || replicationFactor >= 1 else {
            throw ValidationError("--replication-factor must be at least 1 (or -1)")
        }
    }

    func run() async throws {
        let settings = try connection.settings()
        let admin = try KafkaAdmin(settings: settings, logger: connection.logger(label: "sjctl.topics"))
        let creation = TopicCreation(
            cluster: admin, catalog: TopicCatalog(), partitions: partitions, replicationFactor: replicationFactor,
            timeout: connection.timeoutDuration, brokers: settings.brokers)
        _ = try await creation.run(dryRun: dryRun) { print($0) }
    }
}

struct ListTopicsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Show the catalog's topics against the cluster's: ok, missing, or not in the catalog.",
        discussion: "Exit status: 0 every catalog topic exists, 3 some are missing, 1 failed, 78 bad SJ_KAFKA_* settings.")

    @OptionGroup var connection: KafkaConnectionOptions

    func run() async throws {
        let settings = try connection.settings()
        let admin = try KafkaAdmin(settings: settings, logger: connection.logger(label: "sjctl.topics"))
        let existing: [String: Int32]
        do {
            existing = try await admin.topics(timeout: connection.timeoutDuration)
        } catch let error as KafkaError {
            throw TopicsFailure(
                "cannot reach Kafka at \(settings.brokers) within \(connection.timeout) s: \(error.message) (check --brokers or SJ_KAFKA_BROKERS)")
        }
        let plan = TopicPlan(catalog: TopicCatalog(), existing: existing, partitions: -1, replicationFactor: -1)
        for line in plan.table() { print(line) }
        if !plan.missing.isEmpty {
            let expected = plan.rows.filter { !Self.isExtra($0.state) }.count
            print("\(plan.missing.count) of \(expected) catalog topics missing: run `sjctl topics create`")
            throw ExitCode(3)
        }
    }

    private static func isExtra(_ state: TopicPlan.State) -> Bool {
        if case .notInCatalog = state { return true }
        return false
    }
}
