import Hummingbird
import Metrics
import Prometheus

/// The process's metrics: everything emitted through swift-metrics (HTTP
/// requests here; consumer lag, outbox backlog, dead letters and handler
/// latency from EventFlow) lands in one Prometheus registry, which
/// `GET /metrics` serves in the text exposition format.
public enum ServiceMetrics {
    /// The registry. The first access bootstraps `MetricsSystem` with it —
    /// exactly once per process, as swift-metrics requires (a second bootstrap
    /// traps), because a static `let` is initialised once, atomically.
    /// Metric objects created before that access go nowhere, so the service
    /// bootstrap touches this before anything else is built.
    /// If something else bootstrapped `MetricsSystem` first (a test target
    /// in the same test process, say), this leaves it alone rather than trap:
    /// /metrics then serves only what is registered here directly.
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        if MetricsSystem.factory is NOOPMetricsHandler {
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        }
        return registry
    }()

    /// Makes sure `MetricsSystem` is bootstrapped; returns the registry.
    @discardableResult
    public static func bootstrap() -> PrometheusCollectorRegistry { registry }

    /// Prometheus text format 0.0.4, the one every scraper understands.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    static func response() -> Response {
        let bytes = registry.emitToBuffer()
        return Response(
            status: .ok,
            headers: [.contentType: contentType, .contentLength: String(bytes.count)],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
