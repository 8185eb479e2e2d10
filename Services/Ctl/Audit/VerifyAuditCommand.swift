import ArgumentParser
import Audit
import Domain
import Foundation
import ServiceKit
import Kafka

/// `sjctl audit verify --service NAME`: walks the service's audit chain from
/// seq 1 recomputing every hash, and checks every head ever published for
/// the service on `shuangjian.audit.heads` against it.
///
/// Exit 0 with the counts and the head; exit 1 naming the first bad sequence
/// number and why; exit 2 for bad arguments or an unreachable database or broker.
struct VerifyAuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Prove a service's audit chain against itself and its published heads.",
        discussion: """
            Exit status: 0 the chain holds; 1 it does not (the first bad sequence number \
            and why are printed); 2 bad arguments, or the database or Kafka cannot be used.
            """)

    @OptionGroup var database: AuditDatabaseOptions

    @Option(help: ArgumentHelp(
        "Kafka bootstrap servers, HOST:PORT[,...].", discussion: "Default: $SJ_KAFKA_BROKERS, else 127.0.0.1:9092."))
    var brokers: String?

    @Option(
        name: .customLong("ignore-chain"),
        help: ArgumentHelp(
            "A chain id whose published heads to pass over (repeatable).",
            discussion: "Only after a deliberate database replacement: docs/operations.md."))
    var ignoredChains: [String] = []

    @Option(help: "Seconds to wait for Kafka (metadata, offsets, each fetch) before giving up.")
    var timeout: Int = 10

    func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be at least 1 second") }
        if let brokers, brokers.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--brokers is empty") }
        for chain in ignoredChains where UUID(uuidString: chain) == nil {
            throw ValidationError("--ignore-chain \(chain) is not a chain id (a UUID)")
        }
    }

    /// The cluster as the services reach it (`SJ_KAFKA_*`: brokers, TLS,
    /// SASL), with `--brokers` applied; a bad setting is "could not check".
    func kafkaSettings() throws -> KafkaClientSettings {
        var reader = EnvironmentReader(ProcessInfo.processInfo.environment)
        var settings = reader.kafkaSettings()
        guard reader.problems.isEmpty else {
            throw AuditUnavailable(message: "\(ConfigurationError(problems: reader.problems))").exit()
        }
        if let brokers { settings.brokers = brokers }
        return settings
    }

    func run() async throws {
        let logger = database.logger("sjctl.audit")
        let service = database.service
        // Heads first: each was published after its entry committed, so the
        // walk's snapshot, taken afterwards, holds every entry a head names.
        let kafka = try kafkaSettings()
        let published: PublishedHeadReader.Result
        do {
            published = try await PublishedHeadReader.read(
                service: service, settings: kafka, timeout: .seconds(timeout), logger: logger)
        } catch let error as KafkaError {
            throw AuditUnavailable(message:
                "cannot read \(Topic.auditHeads) at \(kafka.brokers) within \(timeout) s: \(error.message) (check --brokers or SJ_KAFKA_BROKERS)"
            ).exit()
        } catch {
            throw AuditUnavailable(message: "\(error)").exit()
        }

        let pool = database.pool(logger: logger)
        let report: AuditVerificationReport
        do {
            report = try await AuditVerifier.verify(
                service: service, pool: pool, heads: published.heads,
                ignoringChains: Set(ignoredChains.compactMap { UUID(uuidString: $0) }), unreadableHeads: published.unreadable)
        } catch {
            await pool.close()
            throw AuditUnavailable.database(error, options: database).exit()
        }
        await pool.close()

        guard let first = report.firstProblem else {
            print("OK \(report.summary)")
            return
        }
        print("FAILED \(service): \(first.message)")
        for other in report.problems.dropFirst().prefix(10) { print("  also: \(other.message)") }
        if report.problems.count > 11 { print("  … and \(report.problems.count - 11) more") }
        print("checked: \(report.summary)")
        throw ExitCode.failure
    }
}
