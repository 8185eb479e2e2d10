import Foundation
import Logging
import Postgres
import Testing

/// The test database from SJ_TEST_DATABASE_URL; a missing variable fails the test.
func testConfiguration(poolSize: Int = 4) throws -> PostgresConfiguration {
    let url = try #require(
        ProcessInfo.processInfo.environment["SJ_TEST_DATABASE_URL"],
        "SJ_TEST_DATABASE_URL is not set: export SJ_TEST_DATABASE_URL=$(scripts/dev-postgres.sh url)")
    return PostgresConfiguration(connectionString: url, poolSize: poolSize)
}

let testLogger = Logger(label: "postgres-tests")

/// A name no other (parallel) test uses.
func uniqueName(_ prefix: String) -> String {
    prefix + "_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
}

/// Tests that restart the server take this gate exclusively; all other
/// database tests take it shared, so a restart never hits them mid-flight.
actor ServerGate {
    static let shared = ServerGate()
    private var readers = 0
    private var writer = false
    private var queue: [(exclusive: Bool, continuation: CheckedContinuation<Void, Never>)] = []

    func acquire(exclusive: Bool) async {
        if queue.isEmpty, exclusive ? (!writer && readers == 0) : !writer {
            grant(exclusive)
            return
        }
        await withCheckedContinuation { queue.append((exclusive, $0)) }
    }

    func release(exclusive: Bool) {
        if exclusive { writer = false } else { readers -= 1 }
        while let next = queue.first {
            if next.exclusive ? (writer || readers > 0) : writer { break }
            queue.removeFirst()
            grant(next.exclusive)
            next.continuation.resume()
        }
    }

    private func grant(_ exclusive: Bool) {
        if exclusive { writer = true } else { readers += 1 }
    }
}

/// Runs `body` with a fresh pool while holding the gate; closes the pool after.
func withTestPool<T: Sendable>(
    poolSize: Int = 4, exclusive: Bool = false, _ body: (PostgresPool) async throws -> T
) async throws -> T {
    let configuration = try testConfiguration(poolSize: poolSize)
    await ServerGate.shared.acquire(exclusive: exclusive)
    let pool = PostgresPool(configuration, logger: testLogger)
    do {
        let result = try await body(pool)
        await pool.close()
        await ServerGate.shared.release(exclusive: exclusive)
        return result
    } catch {
        await pool.close()
        await ServerGate.shared.release(exclusive: exclusive)
        throw error
    }
}

/// Runs a script in the pool (test set-up only).
func setUp(_ pool: PostgresPool, _ sql: String) async throws {
    try await pool.withConnection { try await $0.executeScript(sql) }
}

/// Counts things across concurrent tasks.
actor Counter {
    private var counts: [String: Int] = [:]
    @discardableResult func increment(_ key: String = "") -> Int {
        counts[key, default: 0] += 1
        return counts[key]!
    }
    func value(_ key: String = "") -> Int { counts[key, default: 0] }
}

/// Lets `parties` tasks continue only once all have arrived.
actor Barrier {
    private let parties: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []
    init(parties: Int) { self.parties = parties }
    func arrive() async {
        if waiting.count + 1 == parties {
            waiting.forEach { $0.resume() }
            waiting = []
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }
}


