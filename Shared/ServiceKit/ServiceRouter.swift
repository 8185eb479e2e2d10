import Hummingbird
import Logging

/// The router every service starts from: the common middleware and the
/// routes every service has (DESIGN.md §5). Hummingbird applies a middleware
/// only to routes added after it, so the middleware goes in first, here,
/// before any service route.
///
/// Middleware, outermost first:
/// 1. `AuthenticationMiddleware`: the bearer token, if any, into the context
///    (it never throws, and being outermost its subject and role reach the access log);
/// 2. `RequestLogMiddleware`: request id (header, context, logs) and the access log;
/// 3. `HTTPMetricsMiddleware`: request count and latency, with the final status;
/// 4. `ProblemMiddleware`: every error becomes problem+json;
/// 5. `MethodNotAllowedMiddleware`: a path that exists with other methods is
///    405 with `Allow`, not the router's 404.
public enum ServiceRouter {
    public static func make(verifier: TokenVerifier) -> Router<ServiceRequestContext> {
        ServiceMetrics.bootstrap()
        let router = Router(context: ServiceRequestContext.self)
        router.add(middleware: AuthenticationMiddleware(verifier: verifier))
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: HTTPMetricsMiddleware())
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: MethodNotAllowedMiddleware(routes: RouteMethods(router: router)))

        // Liveness: the process runs and its event loop answers. Nothing else,
        // or a database outage would get every replica restarted.
        router.get("/health/live") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"status":"live"}"#)))
        }
        router.get("/metrics") { _, _ in ServiceMetrics.response() }
        return router
    }

    /// `GET /health/ready`, running `checks` on every call.
    public static func addReadiness(
        to router: Router<ServiceRequestContext>, checks: [ReadinessCheck], timeout: Duration
    ) {
        router.get("/health/ready") { request, context in
            let report = await Readiness.evaluate(checks, timeout: timeout, logger: context.logger)
            return Readiness.response(for: report, path: request.uri.path)
        }
    }
}
