import HTTPTypes
import Hummingbird
import Synchronization

/// A request whose path exists with other methods gets 405 with an `Allow`
/// header listing them (RFC 9110 §15.5.6), as problem+json; Hummingbird's
/// router answers 404 for both an unknown path and an unknown method.
///
/// It runs inside ProblemMiddleware (which renders the problem) and sees the
/// router's not-found error only when no route matched (`endpointPath` is
/// `NotFound`), so a route's own 404 is left alone.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = ServiceRequestContext

    let routes: RouteMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && context.routeLabel == "unmatched" {
            let allowed = routes.methods(forPath: request.uri.path)
            guard !allowed.isEmpty else { throw error }
            throw Problem.methodNotAllowed(request.method, path: request.uri.path, allowed: allowed)
        }
    }
}

/// The methods each of a router's paths has, matched the way the router
/// matches a path (its own `RouterPath` elements, segment by segment).
///
/// The routes are read from the router at the first request that matched
/// none: by then every route is registered (Hummingbird builds its responder
/// once, when the application is made, and routes added later serve nothing).
/// The router is held weakly: it owns this object through its middleware.
final class RouteMethods: Sendable {
    private struct State: @unchecked Sendable {
        weak var router: Router<ServiceRequestContext>?
        var table: [(path: RouterPath, methods: Set<HTTPRequest.Method>)]?
    }

    private let state: Mutex<State>

    init(router: Router<ServiceRequestContext>) {
        state = Mutex(State(router: router, table: nil))
    }

    /// The methods of the routes whose pattern matches `path`, sorted; empty for none.
    func methods(forPath path: String) -> [HTTPRequest.Method] {
        let table = state.withLock { state in
            if state.table == nil, let router = state.router {
                var byPath: [String: (path: RouterPath, methods: Set<HTTPRequest.Method>)] = [:]
                for route in router.routes {
                    byPath[route.path.description, default: (route.path, [])].methods.insert(route.method)
                }
                state.table = Array(byPath.values)
            }
            return state.table ?? []
        }
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var found: Set<HTTPRequest.Method> = []
        for route in table where Self.matches(route.path, segments) { found.formUnion(route.methods) }
        return found.sorted { $0.rawValue < $1.rawValue }
    }

    static func matches(_ pattern: RouterPath, _ segments: [Substring]) -> Bool {
        let elements = pattern.components
        if let last = elements.last, last == RouterPath.Element.recursiveWildcard {
            return segments.count >= elements.count - 1
                && zip(elements.dropLast(), segments).allSatisfy { element, segment in element ~= segment }
        }
        return elements.count == segments.count && zip(elements, segments).allSatisfy { element, segment in element ~= segment }
    }
}

extension Problem {
    /// 405 with `Allow`: the path exists, the method does not.
    static func methodNotAllowed(_ method: HTTPRequest.Method, path: String, allowed: [HTTPRequest.Method]) -> Problem {
        let list = allowed.map(\.rawValue).joined(separator: ", ")
        return Problem(
            status: .methodNotAllowed, type: typePrefix + "method-not-allowed",
            detail: "\(path) does not answer \(method.rawValue); it answers \(list).",
            headers: [.allow: list])
    }
}
