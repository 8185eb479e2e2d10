import ArgumentParser
import Foundation
import Kafka
import Postgres

/// `sjctl replay`: gives a consumer group the events of a topic it has not
/// applied — typically events of a type an older version of the service did
/// not know (its inbox says `unknown-type`), after the service was upgraded.
///
/// It reads the topic from `--from` up to the group's committed offset of
/// each partition (what the group has already been through), asks the
/// group's inbox in the service's database which of those events it applied,
/// and publishes the others again to the same topic and partition, with
/// their key, value and headers (so `ce_id` is the same) plus `replay-*`
/// headers. The group's consumer applies them through its inbox: an event it
/// applied in the meantime is skipped, so nothing applies twice. Other groups
/// see the copies too and skip what they applied.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-publish the events of a topic that a consumer group has not applied (e.g. after an upgrade).",
        discussion: """
            --from is an RFC 3339 time (records produced at or after it, in every partition), an offset \
            (from it, in every partition) or PARTITION:OFFSET (that partition only). What the group applied \
            is read from its inbox in the service's database (--database-url, default $SJ_DATABASE_URL or \
            the local database of the service named like the group). A replayed event comes after later \
            events of its key: handlers of event-carried state compare versions.
            """)

    @OptionGroup var connection: KafkaConnectionOptions

    @Option(help: "The consumer group (its inbox's consumer name), e.g. notification.")
    var group: String

    @Option(help: "The topic to replay, one the group reads.")
    var topic: String

    @Option(help: "Where to start: an RFC 3339 time, an offset, or PARTITION:OFFSET.", transform: ReplayStart.init(parsing:))
    var from: ReplayStart

    @Option(help: "libpq URI of the database holding the group's inbox.")
    var databaseURL: String?

    @Flag(help: "Print what would be replayed; publish nothing.")
    var dryRun = false

    func validate() throws {
        guard !group.isEmpty, !topic.isEmpty else { throw ValidationError("--group and --topic must not be empty") }
    }

    func run() async throws {
        let cluster = try await DeadLetterCluster.connect(connection)
        guard let partitions = cluster.topics[topic] else {
            throw DeadLetterFailure("topic \(topic) does not exist in the cluster at \(cluster.brokers)")
        }
        let url = LocalDefaults.databaseURL(databaseURL, service: group)
        let pool = PostgresPool(PostgresConfiguration(connectionString: url, poolSize: 2, connectTimeout: .seconds(5)), logger: cluster.logger)
        let inbox = InboxLookup(pool: pool, group: group)
        let reader = try cluster.reader(groupId: group)
        var producer: KafkaProducer?
        if !dryRun {
            var configuration = KafkaProducerConfiguration(settings: cluster.settings, clientId: "sjctl-replay")
            configuration.properties["message.timeout.ms"] = String(connection.timeout * 1000)
            producer = try KafkaProducer(configuration: configuration, logger: cluster.logger)
        }
        let replay = EventReplay(topic: topic, group: group, cluster: cluster, reader: reader, inbox: inbox, producer: producer)
        do {
            try await replay.run(from: from, partitions: partitions)
        } catch {
            await producer?.close()
            await reader.close()
            await pool.close()
            throw error
        }
        await producer?.close()
        await reader.close()
        await pool.close()
    }
}
