import ArgumentParser
import Domain
import EventFlow
import Foundation
import Kafka

/// `sjctl publish --type T --source S --id ID --data JSON [--topic county.events]`:
/// publishes one CloudEvent in binary mode (`ce_*` headers, the JSON data as
/// the value), as a county system does onto `county.events`. For a county
/// system's sandbox, a demo (`scripts/demo-inspection.py`) and by hand.
struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish one CloudEvent (binary mode) to a topic, as a county system does.",
        discussion: """
            Prints the topic, partition and offset it was written to. Example:
              sjctl publish --type \(EventType.hotlineComplaintReceived) --source /fangxian/12345 \\
                --id 12345-20261201-0001 --data '{"reference":"12345-20261201-0001",...}'
            """)

    @OptionGroup var connection: KafkaConnectionOptions

    @Option(help: "The topic.") var topic = Topic.countyEvents
    @Option(help: "ce_type.") var type: String
    @Option(help: "ce_source, the sending system.") var source: String
    @Option(help: "ce_id, unique per source (a retry sends the same id).") var id: String
    @Option(help: "The record key (default: the id).") var key: String?
    @Option(help: "The data, a JSON object (or @FILE to read it from a file).") var data: String

    func validate() throws {
        for (name, value) in [("--type", type), ("--source", source), ("--id", id)] where value.isEmpty {
            throw ValidationError("\(name) must not be empty")
        }
    }

    func run() async throws {
        let bytes = try Self.read(data)
        guard (try? JSONSerialization.jsonObject(with: Data(bytes))) is [String: Any] else {
            throw ValidationError("--data is not a JSON object")
        }
        let logger = connection.logger(label: "sjctl-publish")
        var configuration = KafkaProducerConfiguration(settings: try connection.settings(), clientId: "sjctl-publish")
        configuration.properties["message.timeout.ms"] = String(connection.timeout * 1000)
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        let event = CloudEvent(id: id, source: source, type: type, time: Date(), data: bytes)
        let result = await producer.send([event.kafkaRecord(topic: topic, key: key ?? id)])[0]
        await producer.close()
        let report = try result.get()
        print("\(topic) partition \(report.partition) offset \(report.offset)")
    }

    static func read(_ argument: String) throws -> [UInt8] {
        guard argument.hasPrefix("@") else { return Array(argument.utf8) }
        do {
            return Array(try Data(contentsOf: URL(fileURLWithPath: String(argument.dropFirst()))))
        } catch {
            throw ValidationError("cannot read \(argument.dropFirst()): \(error.localizedDescription)")
        }
    }
}
