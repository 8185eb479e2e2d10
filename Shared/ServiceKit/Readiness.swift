import Foundation
import Hummingbird
import Logging
import Synchronization

/// One thing the service needs to do its work (the database, the broker, ...).
/// `/health/ready` answers 200 only when every check passes within its time.
public struct ReadinessCheck: Sendable {
    public var name: String
    public var check: @Sendable () async throws -> Void

    public init(_ name: String, _ check: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.check = check
    }
}

/// The outcome of running every check once.
public struct ReadinessReport: Sendable {
    public enum Outcome: Sendable, Equatable {
        case ok
        case failed
        case timedOut

        public var text: String {
            switch self {
            case .ok: "ok"
            case .failed: "failed"
            case .timedOut: "timed out"
            }
        }
    }

    /// In registration order.
    public var results: [(name: String, outcome: Outcome)]

    public var isReady: Bool { results.allSatisfy { $0.outcome == .ok } }
    public var failing: [String] { results.filter { $0.outcome != .ok }.map(\.name) }
}

public enum Readiness {
    /// Runs the checks concurrently, each bounded by `timeout`. A check that
    /// overruns is reported as timed out at once and left to finish on its own:
    /// the probe must answer in bounded time even when a check cannot be
    /// cancelled (a blocking connect, a librdkafka wait). Failures are logged
    /// with their error; the report (which is public) only says failed.
    public static func evaluate(_ checks: [ReadinessCheck], timeout: Duration, logger: Logger) async -> ReadinessReport {
        let outcomes = await withTaskGroup(of: (Int, ReadinessReport.Outcome).self) { group in
            for (index, check) in checks.enumerated() {
                group.addTask { (index, await run(check, timeout: timeout, logger: logger)) }
            }
            var outcomes = [ReadinessReport.Outcome](repeating: .failed, count: checks.count)
            for await (index, outcome) in group { outcomes[index] = outcome }
            return outcomes
        }
        return ReadinessReport(results: zip(checks.map(\.name), outcomes).map { ($0, $1) })
    }

    static func run(_ check: ReadinessCheck, timeout: Duration, logger: Logger) async -> ReadinessReport.Outcome {
        let race = FirstOf<ReadinessReport.Outcome>()
        let work = Task {
            do {
                try await check.check()
                race.offer(.ok)
            } catch {
                if race.offer(.failed) {
                    logger.warning(
                        "readiness check failed", metadata: ["check": .string(check.name), "error": .string("\(error)")])
                }
            }
        }
        let timer = Task {
            try await Task.sleep(for: timeout)
            if race.offer(.timedOut) {
                logger.warning(
                    "readiness check timed out",
                    metadata: ["check": .string(check.name), "timeout_ms": .stringConvertible(timeout.inMilliseconds)])
            }
        }
        let outcome = await race.value()
        work.cancel()
        timer.cancel()
        return outcome
    }

    /// `GET /health/ready`: 200 `{"status":"ready","checks":{...}}`, or 503
    /// problem+json naming the failing checks, with the same `checks` member.
    /// Written by hand so `checks` keeps registration order (JSONEncoder's
    /// key order is not stable between processes).
    static func response(for report: ReadinessReport, path: String) -> Response {
        let checks = "{" + report.results.map { "\(json($0.name)):\(json($0.outcome.text))" }.joined(separator: ",") + "}"
        let body: String
        if report.isReady {
            body = #"{"status":"ready","checks":\#(checks)}"#
        } else {
            let failing = report.results.filter { $0.outcome != .ok }.map { "\($0.name) \($0.outcome.text)" }
            body = "{" + [
                #""type":\#(json(Problem.typePrefix + "not-ready"))"#,
                #""title":"Service Unavailable""#,
                #""status":503"#,
                #""detail":\#(json("Not ready: \(failing.joined(separator: ", "))."))"#,
                #""instance":\#(json(path))"#,
                #""checks":\#(checks)"#,
            ].joined(separator: ",") + "}"
        }
        let bytes = Array(body.utf8)
        return Response(
            status: report.isReady ? .ok : .serviceUnavailable,
            headers: [
                .contentType: report.isReady ? "application/json" : Problem.mediaType,
                .contentLength: String(bytes.count), .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A JSON string literal.
    private static func json(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return (try? encoder.encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? #""""#
    }
}

/// Hands out the first value offered and ignores the rest; `offer` tells the
/// caller whether its value was the one taken.
final class FirstOf<Value: Sendable>: Sendable {
    private enum State {
        case empty
        case waiting(CheckedContinuation<Value, Never>)
        case offered(Value)
        case taken
    }

    private let state = Mutex<State>(.empty)

    @discardableResult
    func offer(_ value: Value) -> Bool {
        let (accepted, waiter) = state.withLock { state -> (Bool, CheckedContinuation<Value, Never>?) in
            switch state {
            case .empty:
                state = .offered(value)
                return (true, nil)
            case .waiting(let continuation):
                state = .taken
                return (true, continuation)
            case .offered, .taken:
                return (false, nil)
            }
        }
        waiter?.resume(returning: value)
        return accepted
    }

    func value() async -> Value {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Value? in
                switch state {
                case .empty:
                    state = .waiting(continuation)
                    return nil
                case .offered(let value):
                    state = .taken
                    return value
                case .waiting, .taken:
                    preconditionFailure("FirstOf.value() called twice")
                }
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
