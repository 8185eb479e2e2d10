import Foundation

/// Reads configuration variables and collects every problem instead of
/// stopping at the first one, so an operator fixes them all in one go. Each
/// problem names its variable; secrets are never echoed.
///
/// A service reads its own variables with the same reader, in the closure
/// it gives `ServiceBootstrap.run(_:settings:setup:)`, so its problems are
/// reported together with the common ones, before anything touches the
/// database.
public struct EnvironmentReader {
    public let environment: [String: String]
    public private(set) var problems: [String] = []

    public init(_ environment: [String: String]) { self.environment = environment }

    /// Records a problem (one line, naming the variable).
    public mutating func problem(_ text: String) { problems.append(text) }

    /// `body`'s value, or nil after recording the error it threw as a problem
    /// (its description must name the variable).
    public mutating func attempt<T>(_ body: () throws -> T) -> T? {
        do { return try body() } catch {
            problems.append("\(error)")
            return nil
        }
    }

    /// The trimmed value, nil when the variable is not set; set but blank is a problem.
    public mutating func optionalString(_ name: String) -> String? {
        guard let raw = environment[name] else { return nil }
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty {
            problems.append("\(name) is set but empty")
            return nil
        }
        return trimmed
    }

    public mutating func string(_ name: String, default value: String) -> String {
        guard let raw = environment[name] else { return value }
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { problems.append("\(name) is set but empty") }
        return trimmed
    }

    public mutating func integer(_ name: String, default value: Int, in range: ClosedRange<Int>) -> Int {
        optionalInteger(name, in: range) ?? value
    }

    /// nil when not set; a value that is not an integer in `range` is a problem.
    public mutating func optionalInteger(_ name: String, in range: ClosedRange<Int>) -> Int? {
        guard let raw = environment[name] else { return nil }
        guard let parsed = Int(raw.trimmingCharacters(in: .whitespaces)), range.contains(parsed) else {
            problems.append("\(name)=\(raw) is not an integer in \(range.lowerBound)...\(range.upperBound)")
            return nil
        }
        return parsed
    }

    public mutating func oneOf(_ name: String, default value: String, allowed: [String]) -> String {
        optionalOneOf(name, allowed: allowed) ?? value
    }

    /// nil when not set; compared case-insensitively, returned as spelled in `allowed`.
    public mutating func optionalOneOf(_ name: String, allowed: [String]) -> String? {
        guard let raw = environment[name] else { return nil }
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        guard let match = allowed.first(where: { $0.caseInsensitiveCompare(trimmed) == .orderedSame }) else {
            problems.append("\(name)=\(raw) is not one of \(allowed.joined(separator: ", "))")
            return nil
        }
        return match
    }

    /// `true`/`false` (also 1/0, yes/no); nil when not set.
    public mutating func optionalBool(_ name: String) -> Bool? {
        guard let raw = environment[name] else { return nil }
        switch raw.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default:
            problems.append("\(name)=\(raw) is not true or false")
            return nil
        }
    }

    /// The path in `name` when it names a readable file; nil when not set.
    public mutating func readableFile(_ name: String) -> String? {
        guard let path = optionalString(name) else { return nil }
        guard FileManager.default.isReadableFile(atPath: path) else {
            problems.append("\(name)=\(path) is not a readable file")
            return nil
        }
        return path
    }
}
