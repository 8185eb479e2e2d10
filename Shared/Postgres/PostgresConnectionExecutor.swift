import Dispatch

/// Runs one connection's jobs on its own serial DispatchQueue. libpq calls
/// block (network round trips), so they must never run on Swift's small
/// cooperative thread pool; confining each PGconn to its own queue also
/// gives the single-threaded access libpq requires.
///
/// It is also a TaskExecutor: `PostgresPool.withConnection` runs the caller's
/// body with this executor as preference, so the body and the connection
/// share a thread and each `await connection.query(…)` avoids a thread hop.
final class PostgresConnectionExecutor: SerialExecutor, TaskExecutor {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async {
            job.runSynchronously(isolatedTo: self.asUnownedSerialExecutor(), taskExecutor: self.asUnownedTaskExecutor())
        }
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    func checkIsolated() {
        dispatchPrecondition(condition: .onQueue(queue))
    }
}
