import Domain
import Foundation
import Postgres
import ServiceKit
import Testing
import TestSupport

/// The registry, the scheduling service and the notification service as
/// processes on a private broker: a liaison named in the registry reaches
/// both services' directories; a liaison meeting scheduled at the scheduling
/// service reaches that liaison's inbox as its notice (会议通知) through
/// Kafka, the chase (催报) reaches only the units that did not answer,
/// attendance waits for the sitting to start, and the minutes' decision
/// becomes the lead unit's task.
@Suite(.serialized, .enabled(if: SchedulingDatabase.isConfigured, "needs scripts/test.sh"))
struct MeetingFlowTests {
    @Test func aLiaisonMeetingNoticeChaseAndMinutesAcrossTheServices() async throws {
        let world = try await ServiceWorld.start()
        defer { world.stop() }
        try await world.launch("registry")
        try await world.launch("notification")
        try await world.launch("scheduling")
        let office = try world.token(Principal(subject: "office-1", role: .office))

        // 县文旅局 and 县财政局 get liaisons in the registry.
        var liaisons: [String: String] = [:]
        for (unit, name) in [("culture-tourism-bureau", "王芳"), ("finance-bureau", "李明")] {
            let person = try await world.request("registry", "POST", "/v1/people", token: office,
                                                 json: ["name": name, "unitId": unit, "channels": ["mobile": "13800000001"]])
            let id = try #require(person.json["id"] as? String)
            #expect(try await world.request("registry", "PUT", "/v1/units/\(unit)/liaison", token: office, json: ["personId": id]).status == 200)
            liaisons[unit] = id
        }
        try await waitUntil("scheduling's directory knows both liaisons", timeout: .seconds(120)) {
            let feed = try await world.request("scheduling", "POST", "/v1/calendar-feeds", token: office,
                                               json: ["ownerKind": "person", "ownerId": liaisons["finance-bureau"]!])
            return feed.status == 201
        }

        // A liaison meeting for two units, thirty days ahead (well before the
        // automatic chase, two working days before it): the notice reaches both liaisons' inboxes.
        let startsAt = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 60).rounded(.down) * 60 + 30 * 86_400)
        let meeting = try await world.request("scheduling", "POST", "/v1/meetings", token: office, json: [
            "kind": "liaison", "title": "2026年第6次联络员例会",
            "startsAt": Self.rfc3339(startsAt), "endsAt": Self.rfc3339(startsAt.addingTimeInterval(2 * 3600)),
            "place": "县教育局三楼会议室", "chair": ["name": "李主任"], "agenda": [["title": "通报全县“双减”工作进展"]],
            "expectedUnitIds": ["culture-tourism-bureau", "finance-bureau"],
        ])
        #expect(meeting.status == 201, "\(meeting.text)")
        let meetingId = try #require(meeting.json["id"] as? String)
        func inbox(_ unit: String) async throws -> [[String: Any]] {
            try await world.request("notification", "GET", "/v1/inbox",
                                    token: try world.token(Principal(subject: liaisons[unit]!, role: .unit, unitId: unit))).items
        }
        for unit in ["culture-tourism-bureau", "finance-bureau"] {
            try await waitUntil("\(unit)'s liaison gets the notice", timeout: .seconds(60)) {
                try await inbox(unit).contains { ($0["title"] as? String) == "会议通知：2026年第6次联络员例会" }
            }
        }

        // 县文旅局 answers; the chase reaches only 县财政局's liaison.
        let culture = try world.token(Principal(subject: liaisons["culture-tourism-bureau"]!, role: .unit, unitId: "culture-tourism-bureau"))
        #expect(try await world.request("scheduling", "POST", "/v1/meetings/\(meetingId)/answers", token: culture,
                                        json: ["unitId": "culture-tourism-bureau", "answer": "attends"]).status == 200)
        #expect(try await world.request("scheduling", "POST", "/v1/meetings/\(meetingId)/chase", token: office).status == 200)
        try await waitUntil("县财政局's liaison is chased", timeout: .seconds(60)) {
            try await inbox("finance-bureau").contains { ($0["title"] as? String) == "请答复参会情况：2026年第6次联络员例会" }
        }
        // Attendance is taken at the sitting, not before it starts: 409 naming startsAt, still scheduled.
        let attendance: [String: Any] = [
            "records": [["unitId": "culture-tourism-bureau", "present": true], ["unitId": "finance-bureau", "present": false]],
        ]
        let early = try await world.request("scheduling", "POST", "/v1/meetings/\(meetingId)/attendance", token: office, json: attendance)
        #expect(early.status == 409 && early.json["field"] as? String == "startsAt", "\(early.text)")
        #expect(try await world.request("scheduling", "GET", "/v1/meetings/\(meetingId)", token: office).json["status"] as? String == "scheduled")

        // The scheduling process again, its clock a day past the sitting (a local
        // stack's SJ_SCHEDULING_CLOCK_OFFSET_SECONDS): now it is recorded.
        await world.kill("scheduling", signal: SIGTERM)
        try await world.launch("scheduling", environment: ["SJ_SCHEDULING_CLOCK_OFFSET_SECONDS": "\(31 * 86_400)"])
        // The later minutes notice to both is the marker that the chase did not reach 县文旅局.
        let held = try await world.request("scheduling", "POST", "/v1/meetings/\(meetingId)/attendance", token: office, json: attendance)
        #expect(held.status == 200 && held.json["status"] as? String == "held", "\(held.text)")
        let minutes = try await world.request("scheduling", "POST", "/v1/meetings/\(meetingId)/minutes", token: office, json: [
            "summary": "会议通报了全县“双减”工作进展。",
            "decisions": [["text": "制定课后服务经费保障方案", "leadUnitId": "finance-bureau", "deadline": ["workingDays": 10]]],
        ])
        #expect(minutes.status == 200, "\(minutes.text)")
        let number = try #require((minutes.json["minutes"] as? [String: Any])?["number"] as? String)
        try await waitUntil("县文旅局's liaison gets the minutes", timeout: .seconds(60)) {
            try await inbox("culture-tourism-bureau").contains { ($0["title"] as? String) == "会议纪要印发：\(number)" }
        }
        #expect(try await !inbox("culture-tourism-bureau").contains { ($0["title"] as? String)?.hasPrefix("请答复参会情况") == true })

        // The decision is 县财政局's task.
        let finance = try world.token(Principal(subject: liaisons["finance-bureau"]!, role: .unit, unitId: "finance-bureau"))
        let tasks = try await world.request("scheduling", "GET", "/v1/tasks?origin=decision", token: finance)
        #expect(tasks.items.compactMap { $0["title"] as? String } == ["制定课后服务经费保障方案"])
    }

    /// "2026-12-31T01:00:00Z", as the API takes a time.
    static func rfc3339(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
