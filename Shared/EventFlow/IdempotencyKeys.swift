import Foundation
import Postgres

/// `Idempotency-Key` (DESIGN.md §5): the first POST with a key stores its
/// response in the same transaction as its effect; a repeat gets that
/// response again and changes nothing. A failed request stores nothing (its
/// transaction rolled back), so it may be retried with the same key.
public enum IdempotencyKeys {
    public enum Claim: Sendable {
        case fresh
        case replay(status: Int, body: String)
        /// The key was used for a different request.
        case mismatch
    }

    /// Claims `key` for this request inside the caller's transaction. A
    /// concurrent request with the same key waits here until the first commits.
    public static func claim(subject: String, key: String, requestHash: String, on connection: PostgresConnection) async throws -> Claim {
        let inserted = try await connection.execute("""
            INSERT INTO idempotency_keys (subject, key, request_hash, status, body)
            VALUES (\(subject), \(key), \(requestHash), 0, '') ON CONFLICT DO NOTHING
            """)
        if inserted == 1 { return .fresh }
        let row = try await connection.query("""
            SELECT request_hash, status, body FROM idempotency_keys WHERE subject = \(subject) AND key = \(key)
            """)[0]
        let (hash, status, body) = try row.decode((String, Int, String).self)
        return hash == requestHash ? .replay(status: status, body: body) : .mismatch
    }

    public static func complete(subject: String, key: String, status: Int, body: String, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            UPDATE idempotency_keys SET status = \(status), body = \(body) WHERE subject = \(subject) AND key = \(key)
            """)
    }
}
