import ArgumentParser

/// `sjctl outbox`: a service's transactional outbox (DESIGN.md §4), the rows
/// its relay publishes. Helpers: Outbox/.
struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "A service's outbox: re-queue its published events.",
        subcommands: [RequeueOutboxCommand.self])
}
