import EventFlow
import Foundation
import Hummingbird
import ServiceKit

/// A JSON body with the same coder as the stored state and the events
/// (camelCase keys, RFC 3339 dates).
struct JSONResponse<Body: Encodable & Sendable>: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    var body: Body

    init(_ body: Body, status: HTTPResponse.Status = .ok) {
        self.body = body
        self.status = status
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try Self.response(status: status, json: EventJSON.encoder.encode(body))
    }

    static func response(status: HTTPResponse.Status, json: Data) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: json)))
    }
}

/// A list, always wrapped, so fields can be added later without breaking clients.
struct Items<Item: Encodable & Sendable>: Encodable, Sendable {
    var items: [Item]
}

extension Request {
    /// The body decoded as `T`; a JSON problem is a 400 naming the field.
    func decodeBody<T: Decodable>(_ type: T.Type, context: ServiceRequestContext) async throws -> (T, Data) {
        let buffer = try await body.collect(upTo: 1 << 20)
        let data = Data(buffer: buffer)
        do {
            return (try EventJSON.decoder.decode(T.self, from: data), data)
        } catch let error as DecodingError {
            throw Problem(decodingError: error)
        } catch {
            throw Problem.badRequest("the body is not valid JSON")
        }
    }
}

extension ServiceRequestContext {
    /// A path parameter that must be a UUID.
    func uuid(_ name: String) throws -> UUID {
        guard let text = parameters.get(name), let id = UUID(uuidString: text) else {
            throw Problem.notFound("no such \(name): \(parameters.get(name) ?? "")")
        }
        return id
    }
}
