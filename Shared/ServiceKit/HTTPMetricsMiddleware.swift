import Hummingbird
import Metrics
import Synchronization

/// Counts requests and records their latency by method, route and status.
///
/// `route` is the matched route pattern (`/v1/units/:id`), never the raw
/// path, so the number of series stays bounded whatever clients send;
/// requests that match no route share `unmatched`. It sits outside
/// ProblemMiddleware, so an error is counted with the status it was answered with.
struct HTTPMetricsMiddleware: RouterMiddleware {
    typealias Context = ServiceRequestContext

    static let requestsTotal = "http_requests_total"
    static let requestDuration = "http_request_duration_seconds"

    private let cache = Cache()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let status: HTTPResponse.Status
        do {
            let response = try await next(request, context)
            status = response.status
            record(request, context, status, start)
            return response
        } catch {
            status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            record(request, context, status, start)
            throw error
        }
    }

    private func record(_ request: Request, _ context: Context, _ status: HTTPResponse.Status, _ start: ContinuousClock.Instant) {
        let key = Key(method: request.method.rawValue, route: context.routeLabel, status: status.code)
        let metrics = cache.metrics(for: key)
        metrics.counter.increment()
        metrics.timer.record(duration: ContinuousClock.now - start)
    }

    struct Key: Hashable, Sendable {
        var method: String
        var route: String
        var status: Int
    }

    /// swift-metrics objects are cheap to keep and slow-ish to look up in the
    /// factory on every request, so each series is made once.
    final class Cache: Sendable {
        struct Series: Sendable {
            let counter: Counter
            let timer: Metrics.Timer
        }

        private let series = Mutex<[Key: Series]>([:])

        func metrics(for key: Key) -> Series {
            series.withLock { series in
                if let found = series[key] { return found }
                let dimensions = [("method", key.method), ("route", key.route), ("status", String(key.status))]
                let made = Series(
                    counter: Counter(label: HTTPMetricsMiddleware.requestsTotal, dimensions: dimensions),
                    timer: Metrics.Timer(
                        label: HTTPMetricsMiddleware.requestDuration, dimensions: dimensions, preferredDisplayUnit: .seconds))
                series[key] = made
                return made
            }
        }
    }
}

extension ServiceRequestContext {
    /// The matched route pattern, or `unmatched` (Hummingbird marks those `NotFound`).
    var routeLabel: String {
        guard let path = endpointPath, path != "NotFound" else { return "unmatched" }
        return path
    }
}
