import Hummingbird
import Logging

/// Turns every error a route throws into an `application/problem+json`
/// response (RFC 9457, DESIGN.md §5):
/// - `Problem`: as it is;
/// - Hummingbird's `HTTPError` (and any `HTTPResponseError`): its status, message and headers;
/// - `DecodingError` of a request body: 400 naming the field (`items[2].name`);
/// - a request that matches no route: 404;
/// - anything else: 500 with a generic detail. The real error is logged with
///   the request id and never sent: it may say things about the database or
///   the code that a client has no business knowing.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = ServiceRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            var problem = Self.problem(for: error, request: request, context: context)
            if problem.instance == nil { problem.instance = request.uri.path }
            return problem.response()
        }
    }

    static func problem(for error: any Error, request: Request, context: Context) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as HTTPError:
            if error.status == .notFound, error.body == nil, context.endpointPath == "NotFound" || context.endpointPath == nil {
                return .notFound("No route matches \(request.method.rawValue) \(request.uri.path).")
            }
            return Problem(status: error.status, detail: error.body, headers: error.headers)
        case let error as DecodingError:
            return Problem(decodingError: error)
        case let error as any HTTPResponseError:
            return Problem(status: error.status)
        default:
            context.logger.error(
                "request failed", metadata: ["error": .string(String(reflecting: error))])
            return .internalError(requestId: context.requestId)
        }
    }
}
