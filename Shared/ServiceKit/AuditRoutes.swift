import Audit
import EventFlow
import Foundation
import Hummingbird
import Postgres

/// `GET /v1/audit` on every service (added by ServiceBootstrap): the
/// service's audit log — who did what to which aggregate, when — for the
/// office and the conveners, filtered and paginated like the registry's
/// institution search:
///
/// `?aggregate=ID&actor=SUBJECT&action=TYPE&from=RFC3339&to=RFC3339&page=1&pageSize=50`
///
/// answered with `{items, page, pageSize, total}`, entries oldest first.
/// `from` is inclusive, `to` exclusive (a `to` before `from` matches nothing).
/// A bad value is a 400 naming the parameter.
struct AuditRoutes {
    let pool: PostgresPool

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/v1/audit") { request, context in
            _ = try context.require(.office, .convener)
            let search = try Self.search(request)
            return JSONResponse(
                try await AuditLog.entries(search.query, page: search.page, pageSize: search.pageSize, in: pool))
        }
    }

    struct Search: Sendable, Equatable {
        var query: AuditQuery
        var page: Int
        var pageSize: Int
    }

    /// Every problem with the query parameters at once, as one 400.
    static func search(_ request: Request) throws -> Search {
        let query = request.uri.queryParameters
        var validation = Validation()
        let aggregate = text(query.get("aggregate"), "aggregate", &validation)
        let actor = text(query.get("actor"), "actor", &validation)
        let action = text(query.get("action"), "action", &validation)
        let from = date(query.get("from"), "from", &validation)
        let to = date(query.get("to"), "to", &validation)
        let page = integer(query.get("page"), "page", in: 1...1_000_000, default: 1, &validation)
        let pageSize = integer(query.get("pageSize"), "pageSize", in: 1...200, default: 50, &validation)
        try validation.throwIfInvalid(status: .badRequest)
        return Search(
            query: AuditQuery(aggregate: aggregate, actor: actor, action: action, from: from, to: to),
            page: page, pageSize: pageSize)
    }

    /// Matched exactly as given (the document: `minLength: 1, maxLength: 200`).
    private static func text(_ raw: String?, _ name: String, _ validation: inout Validation) -> String? {
        guard let raw else { return nil }
        guard (1...200).contains(TextRules.length(raw)) else {
            validation.add(name, "must be 1 to 200 characters")
            return nil
        }
        return raw
    }

    private static func date(_ raw: String?, _ name: String, _ validation: inout Validation) -> Date? {
        guard let raw else { return nil }
        guard let date = RFC3339.parseExactly(raw) else {
            validation.add(name, "has an invalid value \(raw): expected an RFC 3339 date-time such as 2026-03-01T08:00:00Z")
            return nil
        }
        return date
    }

    private static func integer(
        _ raw: String?, _ name: String, in range: ClosedRange<Int>, default value: Int, _ validation: inout Validation
    ) -> Int {
        guard let raw else { return value }
        guard let number = Int(raw), range.contains(number) else {
            validation.add(name, "has an invalid value \(raw): expected an integer in \(range.lowerBound)...\(range.upperBound)")
            return value
        }
        return number
    }
}
