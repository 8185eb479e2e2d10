import ArgumentParser
import Domain
import Foundation
import Hummingbird
import Kafka
import Logging

/// `sjctl dev-broker`: hosts librdkafka's mock cluster as the local Kafka
/// (DESIGN.md §7), with every topic of §3 created up front.
struct DevBrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev-broker",
        abstract: "Run librdkafka's mock Kafka cluster on 127.0.0.1 with the project's topics.")

    @Option(help: "Bootstrap port (forwarded to broker 1).") var port: UInt16 = 9092
    @Option(help: "Port of the control HTTP API.") var controlPort: Int = 9093
    @Option(help: "Partitions of each topic created at start.") var partitions: Int32 = 6
    @Option(help: "Number of mock brokers.") var brokers: Int = 1

    func run() async throws {
        // Before anything else: this may replace the process (MockLibrary).
        try MockLibrary.executeOnCorrectedLibraryIfConfigured()
        // stdout carries only the "bootstrap" line; logs go to stderr.
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "sjctl.dev-broker")
        logger.logLevel = .notice
        if MockLibrary.isCorrected {
            logger.notice("mock cluster on \(MockLibrary.loadedPath ?? "?") (group coordinator corrected)")
        } else {
            logger.warning(
                "mock cluster on the system librdkafka (\(MockLibrary.loadedPath ?? "?")), whose group coordinator can leave a member of a group without partitions; `make run` and `make test` use the corrected build (scripts/librdkafka-mock, \(MockLibrary.variable))")
        }

        let cluster = try KafkaMockCluster(brokers: brokers, logger: logger)
        for topic in Topic.all {
            try cluster.createTopic(topic, partitions: partitions)
        }
        // Dead-letter topics are auto-created by the mock on first produce
        // (Metadata with allow-auto-create), or ahead of time via POST /topics.

        // Mock brokers listen on ephemeral ports: forward the fixed port to broker 1.
        let first = cluster.bootstrapServers.split(separator: ",").first.map(String.init) ?? ""
        guard let colon = first.lastIndex(of: ":"), let targetPort = UInt16(first[first.index(after: colon)...]) else {
            throw ValidationError("unexpected mock bootstrap address \(cluster.bootstrapServers)")
        }
        let forwarder = try TCPForwarder(port: port, targetHost: String(first[..<colon]), targetPort: targetPort)
        forwarder.start()
        defer { forwarder.stop() }

        let mockPorts = MockSocketTuning.ports(of: cluster.bootstrapServers)
        let tuning = Task.detached {
            while !Task.isCancelled {
                MockSocketTuning.disableNagle(onLocalPorts: mockPorts)
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
        defer { tuning.cancel() }

        let bootstrap = "127.0.0.1:\(port)"
        let app = Application(
            router: ControlAPI.router(cluster: cluster),
            configuration: .init(address: .hostname("127.0.0.1", port: controlPort), serverName: "sjctl-dev-broker"),
            onServerRunning: { _ in
                // Unbuffered write: scripts wait for this line on a pipe.
                FileHandle.standardOutput.write(Data("bootstrap \(bootstrap)\n".utf8))
            },
            logger: logger)
        // Returns on SIGTERM/SIGINT (graceful shutdown), so the command exits 0.
        try await app.runService()
        logger.notice("dev broker stopping (mock brokers at \(cluster.bootstrapServers))")
    }
}
