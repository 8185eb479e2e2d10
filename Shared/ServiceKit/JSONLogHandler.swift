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
        guard let line = line(for: event) else { return }
        Self.output.write(line + [0x0A])
    }

    /// The JSON object of one line (without its line break).
    func line(for event: LogEvent, at time: Date = Date()) -> Data? {
        var fields: [String: String] = [
            "ts": time.formatted(Self.timestamp),
            "level": event.level.rawValue,
            "logger": label,
            "msg": "\(event.message)",
        ]
        let merged = metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 })
        // Other keys first, so a renamed key never lands on one of them.
        for (key, value) in merged where !Self.reservedFields.contains(key) { fields[key] = "\(value)" }
        for key in Self.reservedFields.sorted() {
            if let value = merged[key] { fields[Self.fieldName(for: key, in: fields)] = "\(value)" }
        }
        return try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    /// The line's own fields, which metadata never overwrites: a log shipper
    /// indexes on them, and a metadata key `msg` (say, a message being
    /// handled) must not replace the log message.
    static let reservedFields: Set<String> = ["ts", "level", "logger", "msg"]

    /// `key`, or `meta.key` when `key` is one of the line's own fields
    /// (`meta.meta.key` if that is taken too, and so on).
    static func fieldName(for key: String, in fields: [String: String]) -> String {
        guard reservedFields.contains(key) else { return key }
        var name = "meta." + key
        while fields[name] != nil { name = "meta." + name }
        return name
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
