import EventFlow
import Foundation
import Hummingbird
import ServiceKit

/// A JSON body with the same coder as the events (camelCase, RFC 3339 dates).
struct JSONResponse<Body: Encodable & Sendable>: ResponseGenerator {
    var status: HTTPResponse.Status
    var body: Body

    init(_ body: Body, status: HTTPResponse.Status = .ok) {
        self.body = body
        self.status = status
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try EventJSON.encoder.encode(body))))
    }
}

struct Items<Item: Encodable & Sendable>: Encodable, Sendable {
    var items: [Item]
}

extension Request {
    /// The body decoded as `T`; a JSON problem is a 400 naming the field.
    func decodeBody<T: Decodable>(_ type: T.Type) async throws -> T {
        let buffer = try await body.collect(upTo: 1 << 20)
        do {
            return try EventJSON.decoder.decode(T.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw Problem(decodingError: error)
        } catch {
            throw Problem.badRequest("the body is not valid JSON")
        }
    }
}

extension ServiceRequestContext {
    func uuid(_ name: String) throws -> UUID {
        guard let text = parameters.get(name), let id = UUID(uuidString: text) else {
            throw Problem.notFound("no such \(name): \(parameters.get(name) ?? "")")
        }
        return id
    }

    /// The person a token speaks for: its subject is the person's id.
    func person() throws -> (Principal, UUID) {
        let principal = try requireAuthentication()
        guard let id = UUID(uuidString: principal.subject) else {
            throw Problem.forbidden("An inbox belongs to a person: the token's subject must be a person id (sjctl token --subject <person id>).")
        }
        return (principal, id)
    }
}
