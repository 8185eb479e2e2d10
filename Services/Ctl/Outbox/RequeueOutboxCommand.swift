import ArgumentParser
import Foundation
import Logging
import Postgres

/// `sjctl outbox requeue`: marks every retained published row of a service's
/// outbox unpublished again, so the service's relay publishes them again in
/// their original `seq` order with their original CloudEvent ids. Consumers'
/// inboxes skip what they applied; what a consumer never received, it applies.
///
/// For a broker that lost its records: `make run`'s dev broker forgets every
/// topic when it stops, while `.dev/postgres` keeps the outboxes, so
/// scripts/run-local.sh runs this for each service before starting them.
/// Production's Kafka keeps its topics and never needs it
/// (docs/operations.md, "The local broker").
struct RequeueOutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "requeue",
        abstract: "Mark every published outbox row unpublished again, so the relay publishes it again.",
        discussion: """
            The service's relay (when it runs) publishes the rows again in their original order with \
            the same ce_id; consumers' inboxes skip what they applied. Rows already pruned (older than \
            the relay's retention) are gone and cannot be re-queued. A database without an outbox \
            table (never migrated) has nothing to re-queue: exit 0. Exit 1 when the database cannot be used.
            """)

    @Option(help: ArgumentHelp(
        "libpq URI of the service's database.",
        discussion: "Default: $SJ_DATABASE_URL, else the local `make run` database of --service."))
    var databaseURL: String?

    @Option(help: "The service whose local `make run` database to use when no URL is given (registry, scheduling, inspection, notification).")
    var service: String?

    @Flag(help: "Log the database client's messages to stderr.")
    var verbose = false

    func validate() throws {
        if let databaseURL, databaseURL.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--database-url is empty")
        }
        if let service, service.wholeMatch(of: /[a-z0-9][a-z0-9_-]{0,63}/) == nil {
            throw ValidationError("--service \(service) is not a service name (e.g. registry)")
        }
        guard LocalDefaults.databaseURL(databaseURL, orService: service) != nil else {
            throw ValidationError("which database? Give --database-url, set SJ_DATABASE_URL, or name the --service")
        }
    }

    func run() async throws {
        guard let url = LocalDefaults.databaseURL(databaseURL, orService: service) else { return }  // validate() refused
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "sjctl.outbox")
        logger.logLevel = verbose ? .info : .critical
        let pool = PostgresPool(PostgresConfiguration(connectionString: url, poolSize: 1, connectTimeout: .seconds(5)), logger: logger)
        let result: OutboxRequeueResult?
        do {
            result = try await OutboxRequeue.run(on: pool)
        } catch {
            await pool.close()
            throw OutboxRequeueFailure(database: LocalDefaults.masked(url), error: error)
        }
        await pool.close()
        let database = LocalDefaults.masked(url)
        guard let result else {
            print("\(database) has no outbox table (not migrated yet): nothing to re-queue")
            return
        }
        let range = result.seqs.map { " (seq \($0.lowerBound)–\($0.upperBound))" } ?? ""
        print("re-queued \(result.requeued) published outbox rows of \(database)\(range); "
              + "\(result.waiting) were not published yet. The service's relay publishes them when it runs.")
    }
}

/// The database could not be used; said in an operator's terms (exit 1).
struct OutboxRequeueFailure: Error, CustomStringConvertible {
    var database: String
    var error: any Error

    var description: String {
        guard let error = error as? PostgresError else { return "re-queueing the outbox of \(database): \(error)" }
        if error.isConnectionError {
            return "cannot connect to the database at \(database): \(error.message) (check --database-url or SJ_DATABASE_URL)"
        }
        return "the database at \(database) answered: \(error.message)"
    }
}
