import ArgumentParser
import Foundation

/// sjctl: the operator's and developer's tool — the local broker, migrations,
/// benchmarks. Each subcommand lives in its own file.
@main
struct Sjctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sjctl",
        abstract: "Shuangjian operations: topics, dead letters, replay, outbox re-queue, audit log, channel secrets, tokens, local broker, benchmarks.",
        subcommands: [
            AuditCommand.self, BenchCommand.self, DevBrokerCommand.self, DeadLetterCommand.self, OutboxCommand.self, PublishCommand.self, ReplayCommand.self,
            SecretsCommand.self,
            TokenCommand.self, TopicsCommand.self,
        ])

    /// ArgumentParser's own `main`, except that a usage error of `sjctl
    /// audit …` or `sjctl secrets …` exits 2 (their documented status)
    /// instead of 64, so a script tells "the chain does not hold" (1) from
    /// "could not check" (2).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let commands = [AuditCommand.configuration.commandName, SecretsCommand.configuration.commandName]
            if exitCode(for: error) == .validationFailure, commands.contains(CommandLine.arguments.dropFirst().first) {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(AuditCommand.usageExitCode)
            }
            exit(withError: error)
        }
    }
}
