import Foundation
import Postgres

/// Which entries `AuditLog.entries` returns: every filter that is set must
/// match; `from` is inclusive, `to` exclusive.
public struct AuditQuery: Sendable, Hashable {
    /// The aggregate's id (`aggregate_id`), e.g. a unit id or a person's UUID.
    public var aggregate: String?
    /// The actor's subject.
    public var actor: String?
    /// The action (event type).
    public var action: String?
    public var from: Date?
    public var to: Date?

    public init(aggregate: String? = nil, actor: String? = nil, action: String? = nil, from: Date? = nil, to: Date? = nil) {
        self.aggregate = aggregate
        self.actor = actor
        self.action = action
        self.from = from
        self.to = to
    }

    /// ` WHERE …` with every filter as a bound parameter.
    var whereClause: PostgresQuery {
        var clause: PostgresQuery = " WHERE true"
        if let aggregate { clause.append(" AND aggregate_id = \(aggregate)") }
        if let actor { clause.append(" AND actor_subject = \(actor)") }
        if let action { clause.append(" AND action = \(action)") }
        if let from { clause.append(" AND at >= \(from)") }
        if let to { clause.append(" AND at < \(to)") }
        return clause
    }
}

/// One page of entries, oldest first: `{items, page, pageSize, total}`
/// (like the registry's institution search).
public struct AuditPage: Codable, Sendable, Hashable {
    public var items: [AuditEntry]
    /// 1-based.
    public var page: Int
    public var pageSize: Int
    /// Entries matching the query on all pages.
    public var total: Int

    public init(items: [AuditEntry], page: Int, pageSize: Int, total: Int) {
        self.items = items
        self.page = page
        self.pageSize = pageSize
        self.total = total
    }
}

extension AuditLog {
    /// The entries matching `query`, in sequence order, page `page` (from 1)
    /// of `pageSize` entries.
    public static func entries(_ query: AuditQuery, page: Int = 1, pageSize: Int = 50, in pool: PostgresPool) async throws -> AuditPage {
        precondition(page >= 1 && pageSize >= 1, "page and pageSize start at 1")
        var count: PostgresQuery = "SELECT count(*)::bigint FROM audit_log"
        count.append(query.whereClause)
        var select: PostgresQuery = "SELECT "
        select.append(AuditEntry.columns)
        select.append(" FROM audit_log")
        select.append(query.whereClause)
        select.append(" ORDER BY seq LIMIT \(pageSize) OFFSET \((page - 1) * pageSize)")
        let total = try await pool.query(count)[0].decode(0, as: Int.self)
        let items = try await pool.query(select).map(AuditEntry.init(row:))
        return AuditPage(items: items, page: page, pageSize: pageSize, total: total)
    }

    /// `entries(AuditQuery(aggregate:actor:action:from:to:), page:pageSize:in:)`.
    public static func entries(
        aggregate: String? = nil, actor: String? = nil, action: String? = nil, from: Date? = nil, to: Date? = nil,
        page: Int = 1, pageSize: Int = 50, in pool: PostgresPool
    ) async throws -> AuditPage {
        try await entries(
            AuditQuery(aggregate: aggregate, actor: actor, action: action, from: from, to: to),
            page: page, pageSize: pageSize, in: pool)
    }

    /// Every entry from `seq` on, in sequence order, handed to `body` in
    /// batches of up to `batchSize` until the end or `body` returns false.
    /// Reads by key (`seq > last`), so a long walk costs the same per batch;
    /// run it in a REPEATABLE READ transaction to see one snapshot throughout.
    public static func walk(
        from seq: Int64 = 1, batchSize: Int = 1000, on connection: PostgresConnection,
        _ body: ([AuditEntry]) async throws -> Bool
    ) async throws {
        var next = seq
        while true {
            var select: PostgresQuery = "SELECT "
            select.append(AuditEntry.columns)
            select.append(" FROM audit_log WHERE seq >= \(next) ORDER BY seq LIMIT \(batchSize)")
            let batch = try await connection.query(select).map(AuditEntry.init(row:))
            guard let last = batch.last else { return }
            guard try await body(batch) else { return }
            if batch.count < batchSize { return }
            next = last.seq + 1
        }
    }
}
