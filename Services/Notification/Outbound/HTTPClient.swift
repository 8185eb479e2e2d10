import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// A POST as the senders build it.
struct OutboundRequest: Sendable {
    var url: URL
    var headers: [String: String]
    var body: Data
}

/// What came back — or why nothing did. Failure texts are fixed phrases,
/// never an error's description (Foundation's include the URL, and a robot's
/// URL carries its access token and signature).
enum HTTPExchange: Sendable, Equatable {
    case response(status: Int, body: Data)
    case timedOut
    case failed(String)
}

/// The one way senders reach the network, so tests can swap it.
protocol HTTPClient: Sendable {
    func post(_ request: OutboundRequest) async -> HTTPExchange
}

/// URLSession with a hard deadline per request: the session's own timeouts
/// measure idle time only, so a timer cancels the task when the whole
/// exchange takes longer than `timeout`. A hung endpoint therefore holds one
/// of the worker's slots for at most `timeout`, never the others.
final class URLSessionHTTPClient: HTTPClient, @unchecked Sendable {
    // @unchecked: URLSession is thread-safe but not marked Sendable on every platform.
    private let session: URLSession
    let timeout: Duration

    init(timeout: Duration, maxConnectionsPerHost: Int = 16) {
        self.timeout = timeout
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = seconds
        configuration.timeoutIntervalForResource = seconds
        configuration.httpMaximumConnectionsPerHost = maxConnectionsPerHost
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        session = URLSession(configuration: configuration)
    }

    deinit { session.invalidateAndCancel() }

    func post(_ outbound: OutboundRequest) async -> HTTPExchange {
        var request = URLRequest(url: outbound.url)
        request.httpMethod = "POST"
        request.httpBody = outbound.body
        for (name, value) in outbound.headers { request.setValue(value, forHTTPHeaderField: name) }
        let timeout = self.timeout
        let session = self.session
        return await withCheckedContinuation { (continuation: CheckedContinuation<HTTPExchange, Never>) in
            let pending = Pending(continuation)
            let dataTask = session.dataTask(with: request) { data, response, error in
                if let http = response as? HTTPURLResponse {
                    pending.finish(.response(status: http.statusCode, body: data ?? Data()))
                } else {
                    pending.finish(Self.classify(error))
                }
            }
            pending.start(dataTask, timeout: timeout)
        }
    }

    /// One request in flight: resumes its caller exactly once, with the
    /// response or with `.timedOut`, whichever comes first, and cancels the other.
    /// @unchecked: its state is only touched under the lock.
    private final class Pending: @unchecked Sendable {
        private struct State {
            var continuation: CheckedContinuation<HTTPExchange, Never>?
            var timer: Task<Void, Never>?
            var dataTask: URLSessionDataTask?
        }
        private let state: Mutex<State>

        init(_ continuation: CheckedContinuation<HTTPExchange, Never>) {
            state = Mutex(State(continuation: continuation))
        }

        func start(_ dataTask: URLSessionDataTask, timeout: Duration) {
            let timer = Task {
                try? await Task.sleep(for: timeout)
                if !Task.isCancelled { self.finish(.timedOut) }
            }
            state.withLock { $0.timer = timer; $0.dataTask = dataTask }
            dataTask.resume()
        }

        func finish(_ exchange: HTTPExchange) {
            let (continuation, timer, dataTask) = state.withLock { state in
                defer { state = State() }
                return (state.continuation, state.timer, state.dataTask)
            }
            guard let continuation else { return }
            timer?.cancel()
            if exchange == .timedOut { dataTask?.cancel() }
            continuation.resume(returning: exchange)
        }
    }

    /// A fixed phrase per kind of failure; the error's own text may hold the URL.
    static func classify(_ error: (any Error)?) -> HTTPExchange {
        guard let error = error as? URLError else { return .failed("network error") }
        switch error.code {
        case .timedOut: return .timedOut
        case .cannotConnectToHost: return .failed("connection refused")
        case .cannotFindHost, .dnsLookupFailed: return .failed("host not found")
        case .networkConnectionLost: return .failed("connection lost")
        case .notConnectedToInternet: return .failed("network unreachable")
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
             .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
            return .failed("TLS handshake failed")
        case .badURL, .unsupportedURL: return .failed("invalid endpoint URL")
        case .cancelled: return .failed("request cancelled")
        default: return .failed("network error (\(error.code.rawValue))")
        }
    }
}
