import ArgumentParser
import Foundation
import ServiceKit

/// `sjctl token --role ROLE [--unit ID] [--subject S] [--ttl 8h]`: prints a
/// bearer token for local use (curl, tests, a county system's sandbox).
///
/// The key is the services' own: SJ_JWT_SECRET if set, else the file
/// `.dev/jwt-secret` that `make run` creates (looked for in this directory and
/// its parents, so it works from anywhere in the checkout), else `--secret-file`.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Print a signed bearer token (HS256, key from SJ_JWT_SECRET or .dev/jwt-secret).",
        discussion: """
            Roles: \(Principal.Role.allCases.map(\.rawValue).joined(separator: ", ")). \
            Role unit needs --unit. Example:
              curl -H "Authorization: Bearer $(sjctl token --role office)" http://127.0.0.1:8081/v1/units
            """)

    @Option(help: "One of: \(Principal.Role.allCases.map(\.rawValue).joined(separator: ", ")).")
    var role: String

    @Option(help: "The member unit id (required for, and only for, --role unit).")
    var unit: String?

    @Option(help: "The token's subject (sub). Default: sjctl-<role>[-<unit>].")
    var subject: String?

    @Option(help: "Lifetime, e.g. 8h, 30m, 90s, 1h30m, 2d.")
    var ttl: String = "8h"

    @Option(help: "Read the key from this file instead of SJ_JWT_SECRET / .dev/jwt-secret.")
    var secretFile: String?

    func validate() throws {
        guard let role = Principal.Role(rawValue: role) else {
            throw ValidationError(
                "--role \(role) is not one of \(Principal.Role.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        if role == .unit, unit?.isEmpty ?? true { throw ValidationError("--role unit needs --unit ID.") }
        if role != .unit, unit != nil { throw ValidationError("--unit goes only with --role unit.") }
        if subject?.isEmpty == true { throw ValidationError("--subject must not be empty.") }
        _ = try Self.parseDuration(ttl)
    }

    func run() throws {
        let role = Principal.Role(rawValue: role)!
        let secret = try Self.loadSecret(file: secretFile)
        let principal = Principal(
            subject: subject ?? (["sjctl", role.rawValue] + (unit.map { [$0] } ?? [])).joined(separator: "-"),
            role: role, unitId: unit)
        let token = try TokenSigner(secret: secret).sign(principal, ttl: try Self.parseDuration(ttl))
        print(token)
    }

    /// SJ_JWT_SECRET, else `--secret-file`, else the nearest `.dev/jwt-secret`.
    static func loadSecret(
        file: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
        directory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    ) throws -> JWTSecret {
        if let file {
            return try secret(fromFile: URL(fileURLWithPath: file))
        }
        if let value = environment["SJ_JWT_SECRET"] {
            do { return try JWTSecret(value) } catch { throw ValidationError("SJ_JWT_SECRET is invalid: \(error).") }
        }
        var folder = directory.standardizedFileURL
        while true {
            let candidate = folder.appendingPathComponent(".dev/jwt-secret")
            if FileManager.default.fileExists(atPath: candidate.path) { return try secret(fromFile: candidate) }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { break }
            folder = parent
        }
        throw ValidationError(
            "No signing key: set SJ_JWT_SECRET (the services' key), or run `make run` once, which creates "
                + ".dev/jwt-secret, or pass --secret-file.")
    }

    private static func secret(fromFile url: URL) throws -> JWTSecret {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ValidationError("Cannot read \(url.path): \(error.localizedDescription)")
        }
        do { return try JWTSecret(text) } catch { throw ValidationError("\(url.path): \(error).") }
    }

    static func parseDuration(_ text: String) throws -> Duration {
        guard let duration = DurationText.parse(text) else {
            throw ValidationError("--ttl \(text) is not a duration between 1s and 366d, such as 8h, 30m, 90s or 1h30m.")
        }
        return duration
    }
}
