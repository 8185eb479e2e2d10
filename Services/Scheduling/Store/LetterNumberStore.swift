import Domain
import Foundation
import Postgres

/// The per-kind, per-year counters that number letters without gaps.
enum LetterNumberStore {
    /// The next place in `kind`'s count for `year`, taken in the caller's
    /// transaction: the counter row stays locked until it commits (a second
    /// issuer waits), and a rollback returns the number.
    static func next(_ kind: LetterKind, year: Int, on connection: PostgresConnection) async throws -> Int {
        let rows = try await connection.query("""
            INSERT INTO letter_number_counters (kind, year, last) VALUES (\(kind.rawValue), \(year), 1)
            ON CONFLICT (kind, year) DO UPDATE SET last = letter_number_counters.last + 1
            RETURNING last
            """)
        guard let row = rows.first else { throw LetterNumberError() }
        return try row.decode(0, as: Int.self)
    }
}

struct LetterNumberError: Error, CustomStringConvertible {
    var description: String { "the letter number counter returned no row" }
}
