import ArgumentParser

/// `sjctl audit`: a service's hash-chained audit log (docs/architecture.md,
/// "Audit trail"). `verify` proves the chain against itself and against the
/// heads published on `shuangjian.audit.heads`; `log` prints one aggregate's
/// history. Exit status: 0 fine, 1 the chain does not hold (verify), 2 bad
/// arguments or a database / broker that cannot be reached. Helpers: Audit/.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify a service's audit chain; print an aggregate's audit history.",
        subcommands: [VerifyAuditCommand.self, AuditLogCommand.self])

    /// Usage errors of `sjctl audit …` exit with this (not ArgumentParser's 64).
    static let usageExitCode: Int32 = 2
}
