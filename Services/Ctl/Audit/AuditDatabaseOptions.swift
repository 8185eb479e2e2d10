import ArgumentParser
import Foundation
import Logging
import Postgres

/// Options every `sjctl audit` subcommand takes: which service, and where its database is.
struct AuditDatabaseOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The service whose audit log to read (registry, scheduling, inspection, notification).",
        discussion: "Also the key of its heads on shuangjian.audit.heads."))
    var service: String

    @Option(help: ArgumentHelp(
        "libpq URI of the service's database.",
        discussion: "Default: $SJ_DATABASE_URL, else the local `make run` database postgresql://shuangjian@127.0.0.1:55432/shuangjian_<service>."))
    var databaseURL: String?

    @Flag(help: "Log the database and Kafka clients' messages to stderr.")
    var verbose = false

    func validate() throws {
        // Names as services and heads' keys spell them: lower case, digits, '-' and '_'.
        guard service.wholeMatch(of: /[a-z0-9][a-z0-9_-]{0,63}/) != nil else {
            throw ValidationError("--service \(service) is not a service name (e.g. registry)")
        }
        if let databaseURL, databaseURL.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--database-url is empty")
        }
    }

    var resolvedDatabaseURL: String { LocalDefaults.databaseURL(databaseURL, service: service) }

    /// Logging to stderr (stdout carries only results), quiet unless --verbose.
    func logger(_ label: String) -> Logger {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: label)
        logger.logLevel = verbose ? .info : .critical
        return logger
    }

    /// A small pool on the database; nothing is sent until the first query.
    func pool(logger: Logger) -> PostgresPool {
        PostgresPool(
            PostgresConfiguration(connectionString: resolvedDatabaseURL, poolSize: 2, connectTimeout: .seconds(5)),
            logger: logger)
    }

    /// The database URL with any password masked, for messages.
    var displayedDatabaseURL: String {
        LocalDefaults.masked(resolvedDatabaseURL)
    }
}

/// The audit commands' way out: the message on stderr, then exit 2 (the
/// database or the broker could not be used) — unlike a failed verification,
/// which is a result (stdout, exit 1).
struct AuditUnavailable: Error {
    var message: String

    func exit() -> ExitCode {
        FileHandle.standardError.write(Data("sjctl audit: \(message)\n".utf8))
        return ExitCode(AuditCommand.usageExitCode)
    }

    /// What went wrong talking to the database, in an operator's terms.
    static func database(_ error: any Error, options: AuditDatabaseOptions) -> AuditUnavailable {
        if let error = error as? PostgresError {
            if error.sqlState == "42P01" {
                return AuditUnavailable(message:
                    "\(options.displayedDatabaseURL) has no audit tables: is it the \(options.service) service's database, and has the service run once?")
            }
            if error.isConnectionError {
                return AuditUnavailable(message:
                    "cannot connect to the database at \(options.displayedDatabaseURL): \(error.message) (check --database-url or SJ_DATABASE_URL)")
            }
            return AuditUnavailable(message: "the database at \(options.displayedDatabaseURL) answered: \(error.message)")
        }
        return AuditUnavailable(message: "reading the database at \(options.displayedDatabaseURL): \(error)")
    }
}
