import Foundation

/// Runs a baseline program (pgbench, the C librdkafka loop) and returns what it printed.
/// It runs in a child process, so waiting for it blocks a Dispatch thread, never
/// the cooperative pool.
enum ExternalProgram {
    struct Failure: Error, CustomStringConvertible {
        var command: String
        var status: Int32
        var output: String
        var description: String { "\(command) exited with \(status): \(output)" }
    }

    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = arguments
                process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
                // One pipe for both streams: reading two pipes in turn can deadlock
                // when the unread one fills.
                let output = Pipe()
                process.standardOutput = output
                process.standardError = output
                do {
                    try process.run()
                    let bytes = output.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    let text = String(decoding: bytes, as: UTF8.self)
                    if process.terminationStatus == 0 {
                        continuation.resume(returning: text)
                    } else {
                        continuation.resume(throwing: Failure(
                            command: ([executable] + arguments).joined(separator: " "),
                            status: process.terminationStatus,
                            output: text))
                    }
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}
