import ArgumentParser
import Foundation
import Kafka
import Logging

/// Produce and produce→consume rates through Shared/Kafka, beside the same work
/// done by a C program straight on librdkafka (bench/rdkafka_raw.c) in the same run.
struct KafkaBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka", abstract: "Msg/s through Shared/Kafka vs a raw C librdkafka loop.")

    @Option(help: "Bootstrap servers.")
    var brokers = "127.0.0.1:9092"
    // The mock broker keeps only the last ~5 MB of each partition, so a run
    // must stay under that per partition or the consumer loses the oldest.
    @Option(help: "Messages per run (keep count × size / partitions under 5 MB on the dev broker).")
    var count = 400_000
    @Option(help: "Message size in bytes.")
    var size = 200
    // Runs of a few hundred ms are too short to measure on a shared 2-core
    // machine; 24 partitions keep 400k × 200 B under the mock's 5 MB each.
    @Option(help: "Partitions of the benchmark topics.")
    var partitions: Int32 = 24
    @Option(help: "The compiled bench/rdkafka_raw.c (scripts/bench.sh builds it).")
    var raw = ".build/rdkafka_raw"
    @Option(help: "Control API of a dev broker (its mock cluster has no CreateTopics); omit for real Kafka.")
    var control: String?

    // librdkafka stops fetching for a whole second (fetch backoff) once a
    // consumer holds queued.min.messages (default 100000) unconsumed. Whichever
    // side falls that far behind the producer for a moment, C or Swift, then
    // loses a second in a run of half a second; a run's rate then measures
    // that cliff rather than the layer. Both sides get the same larger limits
    // (the mock broker already bounds the data: count × size).
    @Option(help: "queued.min.messages of both consumers (librdkafka's default is 100000).")
    var consumerQueueMessages = 1_000_000
    @Option(help: "queued.max.messages.kbytes of both consumers (librdkafka's default is 65536).")
    var consumerQueueKilobytes = 1_048_576

    /// The consumer settings both sides apply on top of their defaults.
    private var consumerProperties: [String: String] {
        ["queued.min.messages": "\(consumerQueueMessages)", "queued.max.messages.kbytes": "\(consumerQueueKilobytes)"]
    }

    @Option(help: "Rounds; each runs the C loop then Swift on fresh topics, the median of each is reported.")
    var rounds = 7

    func run() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        // Rounds alternate raw and Swift so that neither always meets a warmer
        // (or busier) broker; this 2-core machine's figures vary from run to run.
        var produce = KafkaBenchRounds("produce")
        var roundtrip = KafkaBenchRounds("produce→consume")
        for round in 1...rounds {
            let run = UUID().uuidString.prefix(8)
            let topics = ["swift-produce", "raw-produce", "swift-roundtrip", "raw-roundtrip"].map { "bench.\($0).\(run)" }
            try await createTopics(topics, logger: logger)
            produce.raw.append(try await rawRun(["produce", brokers, topics[1], "\(count)", "\(size)"]))
            produce.swift.append(try await produceRun(topic: topics[0], logger: logger))
            roundtrip.raw.append(try await rawRun(
                ["roundtrip", brokers, topics[3], "\(count)", "\(size)", "bench-raw-\(run)"]
                    + consumerProperties.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }))
            roundtrip.swift.append(try await roundtripRun(
                topic: topics[2], group: "bench-\(run)", logger: logger))
            // Every round, so that the spread behind the medians is visible.
            print("  round \(round)")
            print(produce.roundLine)
            print(roundtrip.roundLine)
        }

        print("kafka (\(count) messages of \(size) bytes, \(partitions) partitions, idempotent, acks=all, consumer queue \(consumerQueueMessages) msgs / \(consumerQueueKilobytes) kB, median of \(rounds) alternating rounds)")
        for line in produce.summaryLines + roundtrip.summaryLines { print(line) }
    }

    private func createTopics(_ names: [String], logger: Logger) async throws {
        if let control, let url = URL(string: control) {
            for name in names { try await DevBrokerClient(base: url).createTopic(name, partitions: partitions) }
        } else {
            try await KafkaAdmin(brokers: brokers, logger: logger)
                .createTopics(names.map { KafkaTopicSpec(name: $0, partitions: partitions, replicationFactor: 1) })
        }
    }

    private func records(topic: String) -> [KafkaRecord] {
        let value = [UInt8](repeating: UInt8(ascii: "x"), count: size)
        return (0..<count).map { KafkaRecord(topic: topic, key: Array("key-\($0 % 1000)".utf8), value: value) }
    }

    /// Enqueues every record, then awaits every delivery report: the same loop
    /// shape as the C baseline (produce all, wait once at the end). The records
    /// are built before the clock starts: the caller's data is not the layer's cost.
    private func produceAll(_ producer: KafkaProducer, _ records: [KafkaRecord]) async throws {
        for result in await producer.send(records) { _ = try result.get() }
    }

    private func produceRun(topic: String, logger: Logger) async throws -> KafkaRun {
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(brokers: brokers), logger: logger)
        // Warm up: metadata and the idempotent producer id, as the C loop's first messages do.
        _ = try await producer.send(KafkaRecord(topic: topic, key: "warm-up", value: "x"))
        let batch = records(topic: topic)
        let watch = Stopwatch()
        let cpu = CPUClock()
        try await produceAll(producer, batch)
        let result = KafkaRun(rate: Double(count) / watch.seconds, cpuNanosPerMessage: cpu.seconds * 1e9 / Double(count))
        await producer.close()
        return result
    }

    private func roundtripRun(topic: String, group: String, logger: Logger) async throws -> KafkaRun {
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(brokers: brokers), logger: logger)
        var consumerConfiguration = KafkaConsumerConfiguration(brokers: brokers, groupId: group, topics: [topic])
        consumerConfiguration.properties = consumerProperties
        let consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: logger)
        // Warm up: one message through, so the group join is not timed.
        _ = try await producer.send(KafkaRecord(topic: topic, key: "warm-up", value: "x"))
        var messages = consumer.makeAsyncIterator()
        guard let warmUp = try await messages.next() else { throw BenchFailure("the consumer closed before the warm-up message") }
        try await consumer.commit(warmUp)
        let batch = records(topic: topic)

        let watch = Stopwatch()
        let cpu = CPUClock()
        async let produced: Void = produceAll(producer, batch)
        // Like the C loop: consume everything, then commit once (the last
        // message of each partition carries its offset).
        var received = 0
        // Indexed by partition: as cheap per message as the C loop's count.
        var lastOfPartition = [KafkaMessage?](repeating: nil, count: Int(partitions))
        while received < count, let message = try await messages.next() {
            received += 1
            lastOfPartition[Int(message.partition)] = message
        }
        try await consumer.commit(lastOfPartition.compactMap { $0 })
        try await produced
        let result = KafkaRun(rate: Double(count) / watch.seconds, cpuNanosPerMessage: cpu.seconds * 1e9 / Double(count))
        await consumer.close()
        await producer.close()
        return result
    }

    /// Runs the C loop; its last line is "<msg/s> <CPU ns per message>".
    private func rawRun(_ arguments: [String]) async throws -> KafkaRun {
        let output = try await ExternalProgram.run(raw, arguments)
        let fields = output.split(separator: "\n").last?.split(separator: " ").compactMap { Double($0) } ?? []
        guard fields.count == 2 else { throw ExternalProgram.Failure(command: raw, status: 0, output: output) }
        return KafkaRun(rate: fields[0], cpuNanosPerMessage: fields[1])
    }
}
