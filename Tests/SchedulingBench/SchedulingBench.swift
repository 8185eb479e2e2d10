import ArgumentParser
import Domain
import Foundation
import Logging
import Postgres
import ServiceKit
// Ports, databases, process launching and the dev broker, shared with the tests.
import TestSupport

/// Issue 11's letter benchmark: a 协调函 issued to all 26 member units reaches
/// the 26 liaisons' inboxes through Kafka and the notification service.
/// Starts a private dev broker, the registry (which seeds the 26 units), the
/// notification service and the scheduling service (release binaries, each
/// on a new database of the same PostgreSQL server), names a liaison for
/// every unit in the registry, then issues `--letters` letters one after
/// another and times each from the issuing COMMIT to the COMMIT of the last
/// of its 26 inbox rows.
///
/// Both instants are the database server's: with `track_commit_timestamp`
/// on (scripts/dev-postgres.sh turns it on), `pg_xact_commit_timestamp` of
/// the issuing transaction's audit entries (append-only rows) and of the
/// notification rows. Without it the bench says so and uses the times the
/// services stamped (the audit entry's `at`, the notification's
/// `created_at`, each taken just before its transaction commits).
/// `scripts/bench-scheduling.sh` runs it.
@main
struct SchedulingBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduling-bench", abstract: "A 协调函 to 26 units → 26 liaisons' inboxes: p50/p99 commit to commit.")

    @Option(help: "Letters issued (one after another), each to all 26 units.") var letters = 50
    @Option(help: "Letters issued first and not counted.") var warmup = 3
    @Option(help: "Seconds to wait for a letter's 26 inbox rows.") var timeout = 60
    @Option(help: "SJ_LOG_LEVEL of the services.") var logLevel = "warning"
    @Option(help: "The p99 target in milliseconds (issue 11), printed beside the figure.") var targetMs = 300.0

    func run() async throws {
        var logger = Logger(label: "scheduling-bench")
        logger.logLevel = .warning
        let world = try await ServiceWorld.start()
        do {
            try await world.launch("registry", logLevel: logLevel)
            try await world.launch("notification", logLevel: logLevel)
            try await world.launch("scheduling", logLevel: logLevel)
            let office = try world.token(Principal(subject: "bench-office", role: .office))
            let units = try await Self.nameLiaisons(world: world, token: office)
            let scheduling = world.pool("scheduling")
            let notification = world.pool("notification")
            try await Self.waitForDirectories(units: units, scheduling: scheduling, notification: notification)
            let commitTimes = try await notification.query("SELECT current_setting('track_commit_timestamp')")[0].decode(0, as: String.self) == "on"
            say("scheduling bench: \(units.count) units with liaisons; instants: "
                + (commitTimes ? "the server's commit timestamps" : "track_commit_timestamp is off, the services' own times")
                + "; logs \(world.logDirectory.path)")

            var latencies: [Double] = []
            for index in 0..<(warmup + letters) {
                let latency = try await Self.issueAndTime(
                    number: index, units: units, world: world, token: office, scheduling: scheduling,
                    notification: notification, commitTimes: commitTimes, timeout: .seconds(timeout))
                if index >= warmup { latencies.append(latency) }
            }
            latencies.sort()
            func percentile(_ p: Double) -> Double {
                latencies[min(latencies.count - 1, Int((p * Double(latencies.count)).rounded(.up)) - 1)]
            }
            let (p50, p99) = (percentile(0.50), percentile(0.99))
            // The verdict is printed, not an exit status: `make bench` goes on to its other figures.
            say(String(
                format: "scheduling bench: %d letters to %d units each, issuing COMMIT → last inbox COMMIT: p50 %.1f ms, p99 %.1f ms, max %.1f ms (target p99 < %.0f ms: %@)",
                latencies.count, units.count, p50, p99, latencies.last ?? 0, targetMs, p99 < targetMs ? "met" : "NOT met"))
            await scheduling.close()
            await notification.close()
            await world.stopAndDrop()
        } catch {
            say("scheduling bench failed: \(error); logs \(world.logDirectory.path)")
            world.stop()
            throw ExitCode.failure
        }
    }

    /// A liaison for each of the registry's seeded units; their unit ids.
    static func nameLiaisons(world: ServiceWorld, token: String) async throws -> [String] {
        let listed = try await world.request("registry", "GET", "/v1/units", token: token)
        let units = listed.items.compactMap { $0["id"] as? String }.sorted()
        guard units.count == 26 else { throw BenchError("the registry lists \(units.count) units, not the 26 seeded ones: \(listed.text)") }
        for (index, unit) in units.enumerated() {
            let created = try await world.request("registry", "POST", "/v1/people", token: token, json: [
                "name": "联络员\(index + 1)", "unitId": unit, "channels": ["mobile": "1390000\(String(format: "%04d", index))"],
            ])
            guard created.status == 201, let id = created.json["id"] as? String else {
                throw BenchError("creating a person: \(created.status) \(created.text)")
            }
            let assigned = try await world.request("registry", "PUT", "/v1/units/\(unit)/liaison", token: token, json: ["personId": id])
            guard assigned.status == 200 else { throw BenchError("naming a liaison: \(assigned.status) \(assigned.text)") }
        }
        return units
    }

    /// Until the scheduling service knows every unit and the notification
    /// service every unit's liaison (both from the registry's events).
    static func waitForDirectories(units: [String], scheduling: PostgresPool, notification: PostgresPool) async throws {
        try await waitUntil("both directories know the 26 units and their liaisons", timeout: .seconds(120)) {
            let known = try await scheduling.query("""
                SELECT count(*)::int FROM directory.units WHERE id = ANY(\(units)) AND status = 'active'
                """)[0].decode(0, as: Int.self)
            let liaisons = try await notification.query("""
                SELECT count(*)::int FROM directory_units u JOIN directory_people p ON p.id = u.liaison_id WHERE u.id = ANY(\(units))
                """)[0].decode(0, as: Int.self)
            return known == units.count && liaisons == units.count
        }
    }

    /// Drafts and issues one 协调函 to every unit; milliseconds from its
    /// issuing commit to the last of its inbox rows' commit.
    static func issueAndTime(
        number: Int, units: [String], world: ServiceWorld, token: String, scheduling: PostgresPool,
        notification: PostgresPool, commitTimes: Bool, timeout: Duration
    ) async throws -> Double {
        let drafted = try await world.request("scheduling", "POST", "/v1/letters", token: token, json: [
            "kind": "coordination", "subject": "关于校外培训机构联合执法检查的协调函（第\(number + 1)次）",
            "body": "请各成员单位按照职责分工配合开展联合执法检查，并按规定期限将相关办理情况报协调机制办公室。",
            "cause": ["kind": "text", "text": "校外培训机构联合执法检查"], "unitIds": units,
        ])
        guard drafted.status == 201, let id = drafted.json["id"] as? String else {
            throw BenchError("drafting a letter: \(drafted.status) \(drafted.text)")
        }
        let issued = try await world.request("scheduling", "POST", "/v1/letters/\(id)/issue", token: token)
        guard issued.status == 200 else { throw BenchError("issuing a letter: \(issued.status) \(issued.text)") }

        // The issuing transaction: its letter.issued events and their audit entries.
        let events = try await scheduling.query("""
            SELECT id::text FROM outbox WHERE type = \(EventType.letterIssued) AND aggregateid = \(id.lowercased())
            """).map { try $0.decode(0, as: String.self) }
        guard events.count == units.count else { throw BenchError("letter \(id) has \(events.count) letter.issued events") }
        let issuedAt = try await scheduling.query(commitTimes
            ? "SELECT max(pg_xact_commit_timestamp(xmin)) FROM audit_log WHERE action = \(EventType.letterIssued) AND aggregate_id = \(id.lowercased())"
            : "SELECT max(at) FROM audit_log WHERE action = \(EventType.letterIssued) AND aggregate_id = \(id.lowercased())"
        )[0].decode(0, as: Date.self)

        let deadline = ContinuousClock.now + timeout
        while true {
            let row = try await notification.query(commitTimes
                ? "SELECT count(DISTINCT recipient_id)::int, max(pg_xact_commit_timestamp(xmin)) FROM notifications WHERE event_id = ANY(\(events))"
                : "SELECT count(DISTINCT recipient_id)::int, max(created_at) FROM notifications WHERE event_id = ANY(\(events))")[0]
            let (count, last) = try row.decode((Int, Date?).self)
            if count == units.count, let last { return last.timeIntervalSince(issuedAt) * 1000 }
            guard ContinuousClock.now < deadline else {
                throw BenchError("letter \(id): \(count) of \(units.count) inbox rows after \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

/// A line on stdout at once, even into a file or pipe.
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
