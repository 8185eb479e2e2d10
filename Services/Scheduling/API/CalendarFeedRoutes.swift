import Audit
import Crypto
import Domain
import EventFlow
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// Subscribable calendars (RFC 5545, METHOD:PUBLISH) per unit and per person.
///
/// Calendar clients (Outlook, Apple Calendar, DingTalk's calendar) fetch a URL
/// and cannot send a bearer token, so a feed is authorised by an unguessable
/// token in its URL's query (256 random bits, base64url): whoever holds the
/// URL reads that one feed and nothing else. The token is shown once, when it
/// is made; the service keeps only its SHA-256. Making a new one (rotation)
/// replaces it, so a leaked URL is cut off at once. The query string is not
/// written to the request log. An unknown feed or a wrong token is a 404
/// either way, so a URL cannot be probed for which feeds exist.
///
/// Who makes a feed's token: the office for any feed, a unit's own token for
/// its unit's feed, a person (token subject = person id) for their own. The
/// feeds live outside `/v1/` (under `/ical/`), beside /health and /metrics,
/// because no bearer token reaches them.
struct CalendarFeedRoutes {
    let pool: PostgresPool
    let now: @Sendable () -> Date
    let directory: MeetingDirectory
    let settings: MeetingSettings

    struct NewToken: Codable, Sendable {
        var ownerKind: CalendarFeedStore.OwnerKind
        var ownerId: String
    }

    struct IssuedFeed: Codable, Sendable {
        var ownerKind: CalendarFeedStore.OwnerKind
        var ownerId: String
        /// The URL to subscribe to; shown once.
        var url: String
        var token: String
        var rotatedAt: Date
    }

    /// What the audit trail records of a rotation (never the token).
    struct Rotated: Codable, Sendable {
        var ownerKind: CalendarFeedStore.OwnerKind
        var ownerId: String
        var rotatedAt: Date
    }

    /// A feed's past: sittings that ended up to this long ago stay in it.
    static let history: TimeInterval = 366 * 86_400

    func register(on router: Router<ServiceRequestContext>) {
        router.post("/v1/calendar-feeds") { request, context in
            let principal = try context.require(anyOf: Access.feedOwners)
            let (body, _) = try await request.decodeJSON(NewToken.self)
            let ownerId = try await authorise(body, principal)
            let token = Self.newToken()
            let time = now()
            try await pool.transaction { connection in
                try await CalendarFeedStore.rotate(body.ownerKind, ownerId, token: token, by: principal.subject, at: time, on: connection)
                // The audit trail says who rotated which feed; the event stays in this service (no topic reads it).
                try await AuditLog.append(
                    [AuditRecord(
                        action: "calendar-feed.rotated", aggregateType: "calendar-feed",
                        aggregateId: "\(body.ownerKind.rawValue)/\(ownerId)",
                        digesting: try EventJSON.encoder.encode(Rotated(ownerKind: body.ownerKind, ownerId: ownerId, rotatedAt: time)))],
                    by: AuditActor(principal), at: time, on: connection)
            }
            let path = body.ownerKind == .unit ? "units" : "people"
            let url = "\(settings.publicBaseURL)/ical/\(path)/\(ownerId)/meetings.ics?token=\(token)"
            return JSONResponse(IssuedFeed(ownerKind: body.ownerKind, ownerId: ownerId, url: url, token: token, rotatedAt: time), status: .created)
        }
        router.get("/ical/units/{unitId}/meetings.ics") { request, context in
            let unitId = context.parameters.get("unitId") ?? ""
            try await admit(.unit, unitId, request)
            let time = now()
            let meetings = try await MeetingStore.forUnit(unitId, since: time.addingTimeInterval(-Self.history), pool)
            let name = try await directory.activeUnits().first { $0.id == unitId }?.name ?? unitId
            let text = try await MeetingCalendar(directory: directory, settings: settings)
                .document(method: .publish, meetings: meetings, name: "\(name) 协调机制会议", at: time)
            return MeetingCalendar.response(text, method: .publish)
        }
        router.get("/ical/people/{personId}/meetings.ics") { request, context in
            let raw = context.parameters.get("personId") ?? ""
            guard let personId = UUID(uuidString: raw) else { throw Self.noFeed }
            try await admit(.person, personId.uuidString.lowercased(), request)
            guard let person = try await directory.person(personId) else { throw Self.noFeed }
            let time = now()
            let all = try await MeetingStore.starting(from: time.addingTimeInterval(-Self.history), pool)
            let meetings = PersonalMeetings.filter(all, person: person, units: try await directory.activeUnits())
            let text = try await MeetingCalendar(directory: directory, settings: settings)
                .document(method: .publish, meetings: meetings, name: "\(person.name) 协调机制会议", at: time)
            return MeetingCalendar.response(text, method: .publish)
        }
    }

    static let noFeed = Problem.notFound("no such calendar feed")

    private func admit(_ kind: CalendarFeedStore.OwnerKind, _ ownerId: String, _ request: Request) async throws {
        guard let token = request.uri.queryParameters.get("token"), !token.isEmpty, token.utf8.count <= 100,
              try await CalendarFeedStore.admits(kind, ownerId, token: token, pool)
        else { throw Self.noFeed }
    }

    /// The feed's owner id in its stored form; 403 for someone else's feed, 422 for an unknown owner.
    private func authorise(_ body: NewToken, _ principal: Principal) async throws -> String {
        switch body.ownerKind {
        case .unit:
            guard principal.mayActFor(unit: body.ownerId, orAnyOf: Access.managers) else {
                throw Problem.forbidden("Only the office or the unit itself may make the unit's calendar feed.")
            }
            if try await !directory.unknownUnits([body.ownerId]).isEmpty {
                throw Problem.validation([.init(field: "ownerId", detail: "names no active member unit")])
            }
            return body.ownerId
        case .person:
            guard let id = UUID(uuidString: body.ownerId) else {
                throw Problem.validation([.init(field: "ownerId", detail: "must be a person's id (a UUID)")])
            }
            let own = principal.subject.lowercased() == id.uuidString.lowercased()
            guard own || Access.managers.contains(principal.role) else {
                throw Problem.forbidden("Only the office or the person themself may make a person's calendar feed.")
            }
            guard try await directory.person(id) != nil else {
                throw Problem.validation([.init(field: "ownerId", detail: "names no person in the directory")])
            }
            return id.uuidString.lowercased()
        }
    }

    /// 256 random bits, base64url without padding (43 characters).
    static func newToken() -> String {
        let key = SymmetricKey(size: .bits256)
        return key.withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
