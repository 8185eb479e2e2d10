import Directory
import Domain
import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import Postgres
import ServiceKit
import TestSupport

@testable import Scheduling

/// The meetings routes on a real HTTP server in this process, on a fresh
/// database whose directory holds three active units (县教育局 with member
/// and liaison, 县市场监管局 with a liaison, 县财政局 with neither), a removed
/// one (县体育中心) and a convener, decisions made tasks by the tasks part, and
/// a clock the test moves.
struct MeetingAPIHarness: Sendable {
    let port: Int
    let database: SchedulingDatabase
    let clock: TestClock

    static let secret = try! JWTSecret("meetings-test-secret-meetings-test-0001")
    static let educationMember = UUID(uuidString: "11111111-0000-4000-8000-000000000001")!
    static let educationLiaison = UUID(uuidString: "11111111-0000-4000-8000-000000000002")!
    static let marketLiaison = UUID(uuidString: "11111111-0000-4000-8000-000000000003")!
    static let convener = UUID(uuidString: "11111111-0000-4000-8000-000000000004")!

    /// The county as the directory holds it, written as the registry's events would write it.
    static func seedDirectory(_ database: SchedulingDatabase, at time: Date) async throws {
        try await database.pool.transaction { connection in
            for unit in [
                DirectoryUnit(id: "education-bureau", name: "县教育局", memberId: educationMember, liaisonId: educationLiaison, version: 1),
                DirectoryUnit(id: "market-regulation-bureau", name: "县市场监管局", liaisonId: marketLiaison, version: 1),
                DirectoryUnit(id: "finance-bureau", name: "县财政局", version: 1),
                DirectoryUnit(id: "sports-center", name: "县体育中心", status: .removed, version: 2),
            ] {
                try await DirectoryStore.upsert(unit, at: time, on: connection)
            }
            for person in [
                DirectoryPerson(id: educationMember, name: "王副局长", unitId: "education-bureau", roles: ["member"], version: 1),
                DirectoryPerson(id: educationLiaison, name: "刘洋", unitId: "education-bureau", roles: ["liaison"], version: 1),
                DirectoryPerson(id: marketLiaison, name: "陈静", unitId: "market-regulation-bureau", roles: ["liaison"], version: 1),
                DirectoryPerson(id: convener, name: "周县长", roles: ["convener"], version: 1),
            ] {
                try await DirectoryStore.upsert(person, at: time, on: connection)
            }
        }
    }

    static func run<T: Sendable>(at start: String, _ body: @Sendable (MeetingAPIHarness) async throws -> T) async throws -> T {
        try await SchedulingDatabase.with(poolSize: 4) { database in
            let clock = TestClock(MeetingSample.instant(start))
            let now: @Sendable () -> Date = { clock.now() }
            try await seedDirectory(database, at: clock.now())
            let directory = MeetingDirectoryStore.directory(database.pool)
            let router = ServiceRouter.make(verifier: TokenVerifier(secret: secret))
            var settings = MeetingSettings()
            settings.publicBaseURL = "https://sj.example"
            MeetingRoutes(
                pool: database.pool, now: now, directory: directory, settings: settings, calendar: .china,
                decisionTasks: .tasks(deadlines: TaskDeadlines(calendar: .china, officeHours: .county, reminderDays: [3, 1]))
            ).register(on: router)
            AdHocRequestRoutes(pool: database.pool, now: now, directory: directory).register(on: router)
            MeetingSeriesRoutes(pool: database.pool, now: now, calendar: .china, settings: settings).register(on: router)
            CalendarFeedRoutes(pool: database.pool, now: now, directory: directory, settings: settings).register(on: router)
            let value = try await LocalHTTPServer.run(router, logger: nil) { port in
                try await body(MeetingAPIHarness(port: port, database: database, clock: clock))
            }
            // Every event the meetings API wrote on the way is a documented message.
            let asyncapi = try ContractAsyncAPI(documents: ContractDocuments())
            for problem in try await asyncapi.problems(ofOutboxIn: database.pool) { Issue.record("\(problem)") }
            return value
        }
    }

    enum Caller {
        case office, convener, countySystem
        case unit(String)
        case person(UUID, Role)

        var principal: Principal {
            switch self {
            case .office: Principal(subject: "office-1", role: .office)
            case .convener: Principal(subject: MeetingAPIHarness.convener.uuidString.lowercased(), role: .convener)
            case .countySystem: Principal(subject: "county-portal", role: .countySystem)
            case .unit(let unit): Principal(subject: "liaison-\(unit)", role: .unit, unitId: unit)
            case .person(let id, let role): Principal(subject: id.uuidString.lowercased(), role: role, unitId: role == .unit ? "education-bureau" : nil)
            }
        }
    }

    struct Reply: Sendable {
        var status: Int
        var headers: [String: String]
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:] }
        var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
        func header(_ name: String) -> String? {
            headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
        /// The fields a problem names.
        var fields: Set<String> {
            var fields = Set((json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String })
            if let field = json["field"] as? String { fields.insert(field) }
            return fields
        }
    }

    @discardableResult
    func call(_ method: String, _ path: String, as caller: Caller?, json: Any? = nil, headers: [String: String] = [:]) async throws -> Reply {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        if let caller {
            let token = try TokenSigner(secret: Self.secret).sign(caller.principal, ttl: .seconds(600))
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields { fields["\(name)"] = "\(value)" }
        return Reply(status: http.statusCode, headers: fields, body: data)
    }

    /// How many events of `type` the outbox holds.
    func events(_ type: String) async throws -> Int {
        try await database.pool.query("SELECT count(*) FROM outbox WHERE type = \(type)").first!.decode(0, as: Int.self)
    }

    /// Every row the outbox holds (a refused request writes none).
    func outboxSize() async throws -> Int {
        try await database.pool.query("SELECT count(*) FROM outbox").first!.decode(0, as: Int.self)
    }

    /// How many audit entries an aggregate has (a refused request writes none).
    func auditEntries(_ aggregateId: String) async throws -> Int {
        try await database.pool.query("SELECT count(*) FROM audit_log WHERE aggregate_id = \(aggregateId.lowercased())")
            .first!.decode(0, as: Int.self)
    }
}
