import ArgumentParser

/// `sjctl dlq`: dead letters (DESIGN.md §3). A consumer in group G that cannot
/// handle a record of topic T publishes it to `T.G.dlq` with its key, value
/// and headers plus `dlq-*` headers saying where it came from and why.
/// `list` shows them; `replay` puts them back on T. Helpers: DeadLetters/.
struct DeadLetterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq",
        abstract: "Inspect and replay dead letters (<topic>.<consumer-group>.dlq).",
        subcommands: [ListDeadLettersCommand.self, ReplayDeadLettersCommand.self])
}
