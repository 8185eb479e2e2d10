import Foundation
import Hummingbird
import Logging

/// Reads `Authorization: Bearer <JWT>` into `context.authentication`. It never
/// answers by itself: /health/* and /metrics need no token, and a route that
/// does need one asks with `context.require(...)`, which turns a missing or
/// refused token into a 401 that says why.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = ServiceRequestContext

    let verifier: TokenVerifier

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let values = request.headers[values: .authorization]
        if !values.isEmpty {
            context.authentication = authenticate(values)
            if let principal = context.principal {
                // Who did what, in every log line of the request (never the token).
                context.logger[metadataKey: "subject"] = .string(principal.subject)
                context.logger[metadataKey: "role"] = .string(principal.role.rawValue)
                if let unit = principal.unitId { context.logger[metadataKey: "unit"] = .string(unit) }
            }
        }
        return try await next(request, context)
    }

    func authenticate(_ values: [String]) -> Context.Authentication {
        guard values.count == 1 else { return .invalid(.malformed("more than one Authorization header")) }
        let value = values[0].trimmingCharacters(in: .whitespaces)
        guard let space = value.firstIndex(of: " "), value[..<space].lowercased() == "bearer" else {
            return .invalid(.malformed("the Authorization scheme is not Bearer"))
        }
        let token = value[space...].trimmingCharacters(in: .whitespaces)
        do {
            return .authenticated(try verifier.verify(token))
        } catch {
            return .invalid(error)
        }
    }
}
