import Crypto
import EventFlow
import Foundation
import HTTPTypes
import Hummingbird
import Postgres

/// A creating POST: its effect, its outbox rows and its `Idempotency-Key`
/// commit together. A repeat with the same key and body gets the stored
/// response (header `Idempotent-Replayed: true`); the same key with another
/// body is refused with 422.
public struct IdempotentCreate: Sendable {
    public static let header = HTTPField.Name("Idempotency-Key")!
    public static let replayed = HTTPField.Name("Idempotent-Replayed")!
    /// 1 to 255 printable ASCII characters, no spaces (the documents' IdempotencyKey parameter).
    public static let keyPattern = TextPattern(#"^[!-~]{1,255}$"#)

    public let pool: PostgresPool

    public init(pool: PostgresPool) { self.pool = pool }

    public func run(
        _ request: Request, principal: Principal, body: Data,
        _ work: @escaping @Sendable (PostgresConnection) async throws -> (HTTPResponse.Status, Data)
    ) async throws -> Response {
        guard let key = request.headers[Self.header] else {
            let (status, json) = try await pool.transaction { try await work($0) }
            return JSONResponse<Int>.response(status: status, json: json)
        }
        guard Self.keyPattern.matches(key) else {
            throw Problem.badRequest("Idempotency-Key must be 1 to 255 printable ASCII characters", field: "Idempotency-Key")
        }
        let hash = Self.hash(request, body)
        let subject = principal.subject
        let outcome = try await pool.transaction { connection -> (HTTPResponse.Status, Data, Bool) in
            switch try await IdempotencyKeys.claim(subject: subject, key: key, requestHash: hash, on: connection) {
            case .fresh:
                let (status, json) = try await work(connection)
                try await IdempotencyKeys.complete(
                    subject: subject, key: key, status: status.code, body: String(decoding: json, as: UTF8.self), on: connection)
                return (status, json, false)
            case .replay(let status, let body):
                return (HTTPResponse.Status(code: status), Data(body.utf8), true)
            case .mismatch:
                throw Problem.validation(
                    [.init(field: "Idempotency-Key", detail: "was already used with a different request")])
            }
        }
        var response = JSONResponse<Int>.response(status: outcome.0, json: outcome.1)
        if outcome.2 { response.headers[Self.replayed] = "true" }
        return response
    }

    /// Of the method, path, query and the body's JSON with sorted keys: a
    /// client that re-serialises the same request in another key or
    /// parameter order is the same; an upload that names another file
    /// (`?fileName=`, its bytes the body) is not.
    private static func hash(_ request: Request, _ body: Data) -> String {
        let canonical = (try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]))
            .flatMap { try? JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys, .fragmentsAllowed]) } ?? body
        let query = request.uri.queryParameters.map { (String($0.key), String($0.value)) }
            .sorted { $0 < $1 }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        var hasher = SHA256()
        hasher.update(data: Data("\(request.method.rawValue) \(request.uri.path)?\(query)\n".utf8))
        hasher.update(data: canonical)
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
