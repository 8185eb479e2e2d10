import ArgumentParser

/// `sjctl secrets`: the notification service's sealed channel secrets
/// (docs/operations.md, "Channel secrets and their keys"). Helpers: Secrets/.
struct SecretsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secrets",
        abstract: "Manage the notification service's sealed channel secrets.",
        subcommands: [ResealSecretsCommand.self])
}
