import Foundation
import Hummingbird

/// An RFC 9457 problem: the one shape every error of every service takes
/// (DESIGN.md §5), rendered as `application/problem+json`.
///
/// Throw it from a route; `ProblemMiddleware` renders it (and turns every
/// other error into one). Members beyond the RFC's five: `field` (the
/// offending field, for a single-field problem) and `errors` (every field
/// problem of a validation, so a client fixes them all in one go).
public struct Problem: Error, HTTPResponseError, Encodable, Sendable, CustomStringConvertible {
    /// A URI naming the kind of problem; `about:blank` when the status says it all.
    public var type: String
    public var title: String
    public var status: HTTPResponse.Status
    public var detail: String?
    /// The request path, filled in by `ProblemMiddleware` when not set.
    public var instance: String?
    public var field: String?
    public var errors: [FieldError]?
    /// Sent as response headers, not in the body (e.g. `WWW-Authenticate`).
    public var headers: HTTPFields

    public struct FieldError: Codable, Sendable, Equatable {
        /// Path of the field in the request body, e.g. `items[2].name`.
        public var field: String
        public var detail: String

        public init(field: String, detail: String) {
            self.field = field
            self.detail = detail
        }
    }

    public static let mediaType = "application/problem+json"
    /// Our problem types are URNs: stable names that promise no web page.
    public static let typePrefix = "urn:shuangjian:problem:"

    public init(
        status: HTTPResponse.Status, type: String = "about:blank", title: String? = nil, detail: String? = nil,
        field: String? = nil, errors: [FieldError]? = nil, headers: HTTPFields = [:]
    ) {
        self.status = status
        self.type = type
        self.title = title ?? status.reasonPhrase
        self.detail = detail
        self.field = field
        self.errors = errors
        self.headers = headers
    }

    enum CodingKeys: String, CodingKey {
        case type, title, status, detail, instance, field, errors
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(title, forKey: .title)
        try container.encode(status.code, forKey: .status)
        try container.encodeIfPresent(detail, forKey: .detail)
        try container.encodeIfPresent(instance, forKey: .instance)
        try container.encodeIfPresent(field, forKey: .field)
        try container.encodeIfPresent(errors, forKey: .errors)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var problem = self
        if problem.instance == nil { problem.instance = request.uri.path }
        return problem.response()
    }

    /// The response, independent of any request.
    public func response() -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let body = (try? encoder.encode(self)) ?? Data(#"{"title":"Internal Server Error","status":500}"#.utf8)
        var headers = self.headers
        headers[.contentType] = Self.mediaType
        headers[.contentLength] = String(body.count)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    public var description: String {
        "Problem(\(status.code) \(title)\(detail.map { ": \($0)" } ?? ""))"
    }
}

extension Problem {
    /// 400: the request cannot be understood (bad JSON, a bad query parameter).
    public static func badRequest(_ detail: String, field: String? = nil) -> Problem {
        Problem(
            status: .badRequest, type: typePrefix + "bad-request", detail: detail, field: field,
            errors: field.map { [FieldError(field: $0, detail: detail)] })
    }

    /// 400 or 422 listing every field problem; `field` is set when there is exactly one.
    public static func validation(_ errors: [FieldError], status: HTTPResponse.Status = .unprocessableContent) -> Problem {
        let detail =
            errors.count == 1
            ? "\(errors[0].field): \(errors[0].detail)"
            : "\(errors.count) fields are invalid: \(errors.map(\.field).joined(separator: ", "))"
        return Problem(
            status: status, type: typePrefix + "validation", title: "The request is invalid", detail: detail,
            field: errors.count == 1 ? errors[0].field : nil, errors: errors)
    }

    public static func notFound(_ detail: String) -> Problem {
        Problem(status: .notFound, detail: detail)
    }

    public static func conflict(_ detail: String) -> Problem {
        Problem(status: .conflict, type: typePrefix + "conflict", detail: detail)
    }

    /// 401 with an RFC 6750 challenge. Without `error` (no token at all) the
    /// challenge carries no error attributes, as §3.1 asks.
    public static func unauthorized(_ detail: String, error: TokenError? = nil) -> Problem {
        var challenge = #"Bearer realm="shuangjian""#
        if let error {
            challenge += #", error="invalid_token", error_description="\#(quotedStringSafe(error.description))""#
        }
        return Problem(
            status: .unauthorized, type: typePrefix + "unauthenticated", detail: detail,
            headers: [.wwwAuthenticate: challenge])
    }

    /// 403: authenticated, but not allowed.
    public static func forbidden(_ detail: String) -> Problem {
        Problem(
            status: .forbidden, type: typePrefix + "forbidden", detail: detail,
            headers: [
                .wwwAuthenticate:
                    #"Bearer realm="shuangjian", error="insufficient_scope", error_description="\#(quotedStringSafe(detail))""#
            ])
    }

    /// 500 whose detail says nothing about the cause (that goes to the log).
    public static func internalError(requestId: String) -> Problem {
        Problem(
            status: .internalServerError,
            detail: "An unexpected error occurred. It has been logged with request id \(requestId).")
    }

    /// Keeps a header quoted-string well formed.
    private static func quotedStringSafe(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0 != "\"" && $0 != "\\" && $0.value >= 0x20 && $0.value < 0x7F }.map(Character.init))
    }
}
