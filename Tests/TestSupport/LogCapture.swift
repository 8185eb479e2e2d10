import Logging
import Synchronization

/// Keeps every log record in memory, so a test can look at what was logged
/// (an access line, a leaked secret, a warning that must be there).
package final class LogCapture: Sendable {
    package struct Record: Sendable {
        package var level: Logger.Level
        package var message: String
        package var metadata: [String: String]

        /// `level message key=value …`, keys sorted: one line to search.
        package var line: String {
            "\(level) \(message) \(metadata.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " "))"
        }
    }

    private let storage = Mutex<[Record]>([])

    package init() {}

    package var records: [Record] { storage.withLock { $0 } }
    package var lines: [String] { records.map(\.line) }

    package func handler() -> some LogHandler { Handler(capture: self) }

    /// A logger at `trace` whose every record lands here.
    package func logger(label: String = "test") -> Logger {
        var logger = Logger(label: label) { _ in self.handler() }
        logger.logLevel = .trace
        return logger
    }

    fileprivate func append(_ record: Record) { storage.withLock { $0.append(record) } }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            capture.append(Record(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" }))
        }
    }
}
