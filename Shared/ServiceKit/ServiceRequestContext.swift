import Hummingbird
import Logging

/// The request context of every service's router. Middleware fills it in
/// (see `ServiceRouter`): the request id (also in every log line of the
/// request) and the outcome of bearer authentication. Routes then ask for
/// what they need:
///
/// ```swift
/// router.post("/v1/letters") { request, context in
///     let principal = try context.require(.office, .convener)
///     ...
/// }
/// ```
public struct ServiceRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// From a sane `X-Request-Id` header, else a new UUID; echoed in the response.
    public internal(set) var requestId: String
    public internal(set) var authentication: Authentication

    /// The outcome of reading the `Authorization` header. A route that needs
    /// no token ignores it; one that does turns `.missing`/`.invalid` into a 401.
    public enum Authentication: Sendable {
        case missing
        case invalid(TokenError)
        case authenticated(Principal)
    }

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        requestId = ""
        authentication = .missing
    }

    /// Shadows Hummingbird's `context.id` (which reads a logger key this
    /// context replaces with `request_id`).
    public var id: String { requestId }

    public var requestDecoder: ProblemJSONDecoder { ProblemJSONDecoder() }

    /// The authenticated principal, if a valid token came with the request.
    public var principal: Principal? {
        if case .authenticated(let principal) = authentication { return principal }
        return nil
    }

    /// The principal, or a 401 problem saying why there is none.
    public func requireAuthentication() throws(Problem) -> Principal {
        switch authentication {
        case .authenticated(let principal):
            return principal
        case .missing:
            throw Problem.unauthorized("This request needs an Authorization: Bearer token.")
        case .invalid(let error):
            throw Problem.unauthorized("The bearer token was refused: \(error).", error: error)
        }
    }

    /// The principal if it has one of `roles`; 401 without a valid token,
    /// 403 naming the roles otherwise.
    @discardableResult
    public func require(_ roles: Principal.Role...) throws(Problem) -> Principal {
        try require(anyOf: roles)
    }

    @discardableResult
    public func require(anyOf roles: [Principal.Role]) throws(Problem) -> Principal {
        let principal = try requireAuthentication()
        guard roles.contains(principal.role) else {
            throw Problem.forbidden(
                "This action needs the role \(Self.list(roles)); the token has the role \(principal.role).")
        }
        return principal
    }

    /// The principal if it may act for `unitId`: one of `roles`, or the unit's
    /// own liaison (DESIGN.md §5: a unit sees and answers only its own tasks
    /// and letters).
    @discardableResult
    public func require(unit unitId: String, orAnyOf roles: [Principal.Role]) throws(Problem) -> Principal {
        let principal = try requireAuthentication()
        guard principal.mayActFor(unit: unitId, orAnyOf: roles) else {
            throw Problem.forbidden(
                "This action needs the role \(Self.list(roles + [.unit])) (unit \(unitId) only); "
                    + "the token has the role \(principal.role)\(principal.unitId.map { " for unit \($0)" } ?? "").")
        }
        return principal
    }

    private static func list(_ roles: [Principal.Role]) -> String {
        switch roles.count {
        case 0: "(none)"
        case 1: roles[0].rawValue
        default: roles.dropLast().map(\.rawValue).joined(separator: ", ") + " or " + roles.last!.rawValue
        }
    }
}
