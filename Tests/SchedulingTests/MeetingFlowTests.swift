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
/// Kafka, the chase (催报) reaches only the units that did not answer, and the
/// minutes' decision becomes the lead unit's task.
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

        // A liaison meeting for two units: the notice reaches both liaisons' inboxes.
        let meeting = try await world.request("scheduling", "POST", "/v1/meetings", token: office, json: [
            "kind": "liaison", "title": "2026年第6次联络员例会", "startsAt": "2099-12-10T01:00:00Z", "endsAt": "2099-12-10T03:00:00Z",
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
        // The later minutes notice to both is the marker that the chase did not reach 县文旅局.
        #expect(try await world.request("scheduling", "POST", "/v1/meetings/\(meetingId)/attendance", token: office, json: [
            "records": [["unitId": "culture-tourism-bureau", "present": true], ["unitId": "finance-bureau", "present": false]],
        ]).status == 200)
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
}
