import Audit
import EventFlow
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Testing

@testable import ServiceKit

/// Reading the log: `AuditLog.entries` filters and pages, and `GET
/// /v1/audit` (added to every service by ServiceKit) answers as the OpenAPI
/// documents say, to the office and conveners only.
@Suite struct AuditQueryTests {
    /// Entries by two actors on three aggregates, at three times an hour apart.
    static func sample() async throws -> (AuditDatabase, base: Date) {
        let database = try await AuditDatabase.make()
        let base = RFC3339.parse("2026-03-02T01:00:00Z")!
        for hour in 0..<3 {
            try await database.append(4, by: AuditEnv.actor, at: base + Double(hour) * 3600)
        }
        try await database.append(2, action: "cn.gov.fangxian.shuangjian.notification.inbox.acknowledged.v1",
                                  by: AuditActor(subject: "liaison-1", role: "unit", unitId: "education-bureau"),
                                  at: base + 3 * 3600)
        return (database, base)
    }

    @Test func filtersCombineAndPagesCoverEverything() async throws {
        let (database, base) = try await Self.sample()
        let pool = database.pool
        #expect(try await AuditLog.entries(in: pool).total == 14)
        let unit1 = try await AuditLog.entries(aggregate: "unit-1", in: pool)
        #expect(unit1.total == 7 && unit1.items.allSatisfy { $0.aggregateId == "unit-1" })
        #expect(unit1.items.map(\.seq) == unit1.items.map(\.seq).sorted())
        #expect(try await AuditLog.entries(actor: "liaison-1", in: pool).total == 2)
        #expect(try await AuditLog.entries(action: "cn.gov.fangxian.shuangjian.notification.inbox.acknowledged.v1", in: pool).total == 2)
        // from inclusive, to exclusive.
        let secondHour = try await AuditLog.entries(from: base + 3600, to: base + 7200, in: pool)
        #expect(secondHour.total == 4 && secondHour.items.map(\.seq) == [5, 6, 7, 8])
        #expect(try await AuditLog.entries(aggregate: "unit-1", actor: "office-1", from: base + 3600, in: pool).total == 4)

        let first = try await AuditLog.entries(page: 1, pageSize: 5, in: pool)
        let third = try await AuditLog.entries(page: 3, pageSize: 5, in: pool)
        #expect(first.items.map(\.seq) == [1, 2, 3, 4, 5] && first.total == 14 && first.page == 1 && first.pageSize == 5)
        #expect(third.items.map(\.seq) == [11, 12, 13, 14])
        #expect(try await AuditLog.entries(page: 4, pageSize: 5, in: pool).items.isEmpty)
        await database.close()
    }

    @Test func aRequestsPrincipalIsItsActor() {
        #expect(AuditActor(Principal(subject: "p-1", role: .unit, unitId: "education-bureau"))
            == AuditActor(subject: "p-1", role: "unit", unitId: "education-bureau"))
        #expect(AuditActor(Principal(subject: "hotline", role: .countySystem)) == AuditActor(subject: "hotline", role: "county-system"))
    }

    @Test func theRouteIsForTheOfficeAndConvenersAndChecksItsParameters() async throws {
        let (database, base) = try await Self.sample()
        let secret = try JWTSecret("audit-tests-secret-audit-tests-secret-01")
        let router = ServiceRouter.make(verifier: TokenVerifier(secret: secret))
        AuditRoutes(pool: database.pool).register(on: router)
        let signer = TokenSigner(secret: secret)
        func token(_ role: Principal.Role, unit: String? = nil) throws -> String {
            try signer.sign(Principal(subject: "tester", role: role, unitId: unit), ttl: .seconds(600))
        }
        let documents = ContractDocuments()
        let openapis = try ["docs/openapi/registry.yaml", "docs/openapi/notification.yaml"].map {
            try ContractOpenAPI(documents: documents, file: $0)
        }

        try await Self.serve(router) { port in
            /// GET `path`, its response checked against both OpenAPI documents.
            func checked(_ path: String, token: String?) async throws -> ContractResponse {
                let response = try await ContractResponse.send(port: port, "GET", path, token: token)
                for openapi in openapis {
                    for problem in try openapi.problems("get", "/v1/audit", response) {
                        Issue.record("\(openapi.url.lastPathComponent): \(problem)")
                    }
                }
                return response
            }
            #expect(try await checked("/v1/audit", token: nil).status == 401)
            for role in [Principal.Role.countySystem, .ops] {
                #expect(try await checked("/v1/audit", token: token(role)).status == 403, "\(role)")
            }
            #expect(try await checked("/v1/audit", token: token(.unit, unit: "education-bureau")).status == 403)

            let all = try await checked("/v1/audit", token: token(.office))
            #expect(all.status == 200, "\(all.text)")
            #expect(all.json["total"] as? Int == 14 && all.json["page"] as? Int == 1 && all.json["pageSize"] as? Int == 50)
            #expect(all.items.count == 14)
            let item = try #require(all.items.last)
            #expect(Set(item.keys) == ["seq", "at", "actor", "action", "aggregateType", "aggregateId", "digest", "hash"])
            #expect(item["actor"] as? [String: String] == ["subject": "liaison-1", "role": "unit", "unitId": "education-bureau"])

            let from = RFC3339.format(base + 3600), to = RFC3339.format(base + 7200)
            let filtered = try await checked("/v1/audit?aggregate=unit-2&actor=office-1&from=\(from)&to=\(to)&page=1&pageSize=1", token: token(.convener))
            #expect(filtered.status == 200, "\(filtered.text)")
            #expect(filtered.json["total"] as? Int == 1 && filtered.items.first?["seq"] as? Int == 6)
            let byAction = try await checked("/v1/audit?action=cn.gov.fangxian.shuangjian.notification.inbox.acknowledged.v1", token: token(.office))
            #expect(byAction.json["total"] as? Int == 2)

            for (query, field) in [
                ("page=0", "page"), ("pageSize=201", "pageSize"), ("pageSize=ten", "pageSize"), ("from=yesterday", "from"),
                ("to=2026-13-01T00:00:00Z", "to"), ("aggregate=" + String(repeating: "a", count: 201), "aggregate"),
                ("actor=", "actor"),
            ] {
                let bad = try await checked("/v1/audit?\(query)", token: token(.office))
                #expect(bad.status == 400, "\(query): \(bad.status)")
                #expect(bad.headers["content-type"]?.hasPrefix("application/problem+json") == true)
                #expect(bad.json["field"] as? String == field, "\(query): \(bad.text)")
            }
            // What the document allows is answered: a range that ends before it
            // starts and a value that is only a space match nothing.
            for query in ["from=\(to)&to=\(from)", "aggregate=%20"] {
                let empty = try await checked("/v1/audit?\(query)", token: token(.office))
                #expect(empty.status == 200 && empty.json["total"] as? Int == 0, "\(query): \(empty.text)")
            }
            let several = try await checked("/v1/audit?page=x&pageSize=0&from=y", token: token(.office))
            #expect((several.json["errors"] as? [Any])?.count == 3)
        }
        await database.close()
    }

    /// `router` on a real HTTP server on a free port while `body` runs.
    static func serve(_ router: Router<ServiceRequestContext>, _ body: (Int) async throws -> Void) async throws {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "audit-route-test")
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw TestSupportError("the server did not start") }
            do {
                try await body(port)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}

/// `from` and `to` are RFC 3339 date-times exactly as JSON Schema's
/// `format: date-time` reads them (a client validating against the document
/// sends any of these).
@Suite struct RFC3339QueryTimeTests {
    @Test(arguments: [
        ("2026-03-01T08:00:00Z", 1_772_352_000.0), ("2026-03-01t08:00:00z", 1_772_352_000.0),
        ("2026-03-01T16:00:00+08:00", 1_772_352_000.0), ("2026-03-01T08:00:00.250Z", 1_772_352_000.25),
        ("2026-02-28T10:46:00-21:14", 1_772_352_000.0), ("2026-03-01T09:00:00.040219+01:00", 1_772_352_000.040219),
        ("1970-01-01T00:00:00Z", 0), ("0004-09-02T10:47:20.830Z", -62_019_781_959.17), ("2016-12-31T23:59:60Z", 1_483_228_800),
    ])
    func accepted(_ text: String, _ seconds: Double) throws {
        let date = try #require(RFC3339.parseExactly(text), "\(text)")
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.000_5, "\(text): \(date.timeIntervalSince1970)")
    }

    @Test(arguments: [
        "2026-03-01", "2026-03-01T08:00Z", "2026-03-01T08:00:00", "2026-03-01T08:00:00+0800", "2026-03-01 08:00:00Z",
        "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z", "2026-03-01T24:00:00Z", "2026-03-01T08:00:00.Z",
        "2026-03-01T08:00:00+24:00", "2026-03-01T08:00:00Z ", "２０２６-03-01T08:00:00Z", "yesterday",
    ])
    func refused(_ text: String) {
        #expect(RFC3339.parseExactly(text) == nil, "\(text)")
    }
}
