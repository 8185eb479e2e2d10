import Foundation
import Logging

/// One JSON object per line on stdout (DESIGN.md §5), so the operations team's
/// log shipper can index fields such as `service` and `request_id`.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [String: String] = [
            "ts": Date().formatted(Self.timestamp),
            "level": event.level.rawValue,
            "logger": label,
            "msg": "\(event.message)",
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            fields[key] = "\(value)"
        }
        guard let line = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return }
        Self.output.write(line + [0x0A])
    }

    private static let output = LineWriter()
    /// RFC 3339 in UTC with milliseconds, e.g. 2026-11-27T02:48:11.316Z.
    private static let timestamp = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}

/// Serialises whole lines onto stdout so concurrent log calls never interleave.
private final class LineWriter: @unchecked Sendable {
    private let lock = NSLock()
    func write(_ bytes: Data) {
        lock.lock()
        defer { lock.unlock() }
        FileHandle.standardOutput.write(bytes)
    }
}

extension JSONLogHandler {
    /// Installs JSON logging for the whole process at `level`.
    public static func bootstrap(level: String) {
        let parsed = Logger.Level(rawValue: level) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = JSONLogHandler(label: label)
            handler.logLevel = parsed
            return handler
        }
    }
}
