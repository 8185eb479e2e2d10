import Domain
import EventFlow
import Foundation
import Postgres
import ServiceKit

/// SQL for training institutions.
enum InstitutionStore {
    /// Locks and writes a institution for `PostgresPool.change`.
    static let table = AggregateTable<TrainingInstitution, UUID>(
        name: "institution", find: { try await find($0, $1) },
        lock: { try await lock($0, on: $1) }, update: { try await update($0, on: $1) })

    struct Search: Sendable {
        /// Part of the name or the whole credit code.
        var text: String?
        var category: InstitutionCategory?
        var status: InstitutionStatus?
        var whitelisted: Bool?
        var blacklisted: Bool?
        var page: Int
        var pageSize: Int
    }

    typealias Page = ResultPage<TrainingInstitution>

    static func search(_ search: Search, _ pool: PostgresPool) async throws -> Page {
        var filter: PostgresQuery = " WHERE true"
        if let text = search.text {
            let escaped = text.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            filter.append(" AND (name LIKE \("%" + escaped + "%") OR credit_code = \(text.uppercased()))")
        }
        if let category = search.category { filter.append(" AND category = \(category.rawValue)") }
        if let status = search.status { filter.append(" AND status = \(status.rawValue)") }
        if let whitelisted = search.whitelisted { filter.append(" AND whitelisted = \(whitelisted)") }
        if let blacklisted = search.blacklisted { filter.append(" AND blacklisted = \(blacklisted)") }

        var count: PostgresQuery = "SELECT count(*)::int FROM institutions"
        count.append(filter)
        let total = try await pool.query(count)[0].decode(0, as: Int.self)
        var rows: PostgresQuery = "SELECT state FROM institutions"
        rows.append(filter)
        rows.append(" ORDER BY registered_at, id LIMIT \(search.pageSize) OFFSET \((search.page - 1) * search.pageSize)")
        let items = try await pool.query(rows).jsonValues(TrainingInstitution.self)
        return Page(items: items, page: search.page, pageSize: search.pageSize, total: total)
    }

    static func find(_ id: UUID, _ pool: PostgresPool) async throws -> TrainingInstitution? {
        try await pool.query("SELECT state FROM institutions WHERE id = \(id)").jsonValue()
    }

    static func lock(_ id: UUID, on connection: PostgresConnection) async throws -> TrainingInstitution? {
        try await connection.query("SELECT state FROM institutions WHERE id = \(id) FOR UPDATE").jsonValue()
    }

    /// False when the credit code is registered already (nothing written).
    static func insert(_ institution: TrainingInstitution, on connection: PostgresConnection) async throws -> Bool {
        let inserted = try await connection.execute("""
            INSERT INTO institutions (id, credit_code, name, category, status, whitelisted, blacklisted, state, version, registered_at)
            VALUES (\(institution.id), \(institution.creditCode), \(institution.name), \(institution.category.rawValue),
                    \(institution.status.rawValue), \(institution.whitelisted), \(institution.blacklisted),
                    \(StoredJSON(institution)), \(institution.version), \(institution.registeredAt))
            ON CONFLICT (credit_code) DO NOTHING
            """)
        return inserted == 1
    }

    static func update(_ institution: TrainingInstitution, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            UPDATE institutions SET name = \(institution.name), status = \(institution.status.rawValue),
                whitelisted = \(institution.whitelisted), blacklisted = \(institution.blacklisted),
                state = \(StoredJSON(institution)), version = \(institution.version)
            WHERE id = \(institution.id)
            """)
    }

    static func recordStatus(
        _ institution: TrainingInstitution, reason: String, by subject: String, on connection: PostgresConnection
    ) async throws {
        try await connection.execute("""
            INSERT INTO institution_status_history (institution_id, status, reason, changed_by, changed_at)
            VALUES (\(institution.id), \(institution.status.rawValue), \(reason), \(subject), \(institution.updatedAt))
            """)
    }
}
