import ArgumentParser

/// sjctl: the operator's and developer's tool — the local broker, migrations,
/// benchmarks. Each subcommand lives in its own file.
@main
struct Sjctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sjctl",
        abstract: "Shuangjian operations: topics, dead letters, tokens, local broker, benchmarks.",
        subcommands: [BenchCommand.self, DevBrokerCommand.self, DeadLetterCommand.self, TokenCommand.self, TopicsCommand.self])
}
