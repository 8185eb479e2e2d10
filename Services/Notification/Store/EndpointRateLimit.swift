import Foundation
import Postgres

/// The per-endpoint rate limit, counted in `endpoint_windows` (one row per
/// endpoint and minute) inside the claim transaction: the count and the
/// claim commit together, and replicas share the count through the row lock.
enum EndpointRateLimit {
    /// The start of the minute `date` falls in (fixed windows keep it one row per minute).
    static func minute(of date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 60).rounded(.down) * 60)
    }

    /// Takes one send from the endpoint's current window; false when the
    /// window is full (the row is left unchanged then).
    static func admit(endpoint: String, limit: Int, now: Date, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query("""
            INSERT INTO endpoint_windows AS w (endpoint, minute, sent) VALUES (\(endpoint), \(minute(of: now)), 1)
            ON CONFLICT (endpoint, minute) DO UPDATE SET sent = w.sent + 1 WHERE w.sent < \(limit)
            RETURNING sent
            """)
        return !rows.isEmpty
    }

    /// Windows older than an hour count for nothing any more.
    static func prune(before now: Date, on pool: PostgresPool) async throws {
        try await pool.execute("DELETE FROM endpoint_windows WHERE minute < \(now.addingTimeInterval(-3600))")
    }
}
