import Foundation

// Waiting on a positive marker, shared by every test target. The timeout is
// a deadline for a test that is failing anyway, never a measurement: on a
// slow, shared machine a condition that holds later still passes.

/// Polls `condition` until it holds or `timeout` passes; whether it held
/// (checked once more at the deadline).
package func eventually(
    timeout: Duration = .seconds(30), poll: Duration = .milliseconds(50), _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: poll)
    }
    return try await condition()
}

/// `eventually`, for a step later steps need: throws naming `what` when it
/// does not hold within `timeout`.
package func waitUntil(
    _ what: String, timeout: Duration = .seconds(30), _ condition: () async throws -> Bool
) async throws {
    guard try await eventually(timeout: timeout, condition) else {
        throw TestSupportError("\(what): not so within \(timeout)")
    }
}

/// Whether `process` exited within `timeout`.
package func waitForExit(_ process: Process, timeout: Duration) async -> Bool {
    await eventually(timeout: timeout) { !process.isRunning }
}
