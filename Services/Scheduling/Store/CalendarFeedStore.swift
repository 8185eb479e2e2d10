import Crypto
import Foundation
import Postgres

/// SQL for calendar feed tokens: only a token's SHA-256 is stored.
enum CalendarFeedStore {
    enum OwnerKind: String, Sendable, Codable {
        case unit, person
    }

    static func digest(_ token: String) -> Data { Data(SHA256.hash(data: Data(token.utf8))) }

    /// Sets the feed's token, replacing any earlier one (every old URL stops working).
    static func rotate(_ kind: OwnerKind, _ ownerId: String, token: String, by subject: String, at time: Date,
                       on connection: PostgresConnection) async throws {
        try await connection.execute("""
            INSERT INTO calendar_feeds (owner_kind, owner_id, token_sha256, rotated_at, rotated_by)
            VALUES (\(kind.rawValue), \(ownerId), \(digest(token)), \(time), \(subject))
            ON CONFLICT (owner_kind, owner_id) DO UPDATE
            SET token_sha256 = EXCLUDED.token_sha256, rotated_at = EXCLUDED.rotated_at, rotated_by = EXCLUDED.rotated_by
            """)
    }

    /// Whether `token` is the current token of the feed.
    static func admits(_ kind: OwnerKind, _ ownerId: String, token: String, _ pool: PostgresPool) async throws -> Bool {
        try await !pool.query("""
            SELECT 1 FROM calendar_feeds
            WHERE owner_kind = \(kind.rawValue) AND owner_id = \(ownerId) AND token_sha256 = \(digest(token))
            """).isEmpty
    }
}

/// SQL for the cadence watch's once-only alerts.
enum CadenceAlertStore {
    /// True the first time (kind, due day, state) is claimed, in the caller's transaction.
    static func claim(_ kind: String, dueBy: String, state: String, at time: Date, on connection: PostgresConnection) async throws -> Bool {
        try await !connection.query("""
            INSERT INTO meeting_cadence_alerts (kind, due_by, state, alerted_at)
            VALUES (\(kind), \(dueBy)::date, \(state), \(time))
            ON CONFLICT DO NOTHING RETURNING kind
            """).isEmpty
    }
}
