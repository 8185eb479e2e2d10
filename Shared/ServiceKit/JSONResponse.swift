import EventFlow
import Foundation
import Hummingbird

/// A JSON body written with the same coder as stored state and events
/// (camelCase keys, RFC 3339 dates with milliseconds), so a service's API,
/// tables and topics agree on every value's spelling.
public struct JSONResponse<Body: Encodable & Sendable>: ResponseGenerator {
    public var status: HTTPResponse.Status
    public var body: Body

    public init(_ body: Body, status: HTTPResponse.Status = .ok) {
        self.body = body
        self.status = status
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Self.response(status: status, json: try EventJSON.encoder.encode(body))
    }

    /// For a body already encoded (e.g. one replayed for an Idempotency-Key).
    public static func response(status: HTTPResponse.Status, json: Data) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: json)))
    }
}

/// A list, always wrapped, so fields can be added later without breaking clients.
public struct Items<Item: Encodable & Sendable>: Encodable, Sendable {
    public var items: [Item]

    public init(items: [Item]) { self.items = items }
}

extension Request {
    /// The body decoded as `T` with the events' decoder, and its raw bytes;
    /// a JSON problem is a 400 naming the field, and so is a member the type
    /// reads that is null or holds U+0000 (`RequestJSONScreen`).
    public func decodeJSON<T: Decodable>(_ type: T.Type) async throws -> (T, Data) {
        let buffer = try await body.collect(upTo: 1 << 20)
        let data = Data(buffer: buffer)
        do {
            let value = try EventJSON.decoder.decode(T.self, from: data)
            try RequestJSONScreen.refuse(data, decodingAs: T.self, with: EventJSON.decoder)
            return (value, data)
        } catch let error as DecodingError {
            throw Problem(decodingError: error)
        } catch let problem as Problem {
            throw problem
        } catch {
            throw Problem.badRequest("the body is not valid JSON")
        }
    }
}

extension ServiceRequestContext {
    /// A path parameter that must be a UUID; anything else is a 404.
    public func uuid(_ name: String) throws -> UUID {
        guard let text = parameters.get(name), let id = UUID(uuidString: text) else {
            throw Problem.notFound("no such \(name): \(parameters.get(name) ?? "")")
        }
        return id
    }
}
