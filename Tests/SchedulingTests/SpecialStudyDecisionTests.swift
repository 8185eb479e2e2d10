import Directory
import Domain
import EventFlow
import Foundation
import Testing

@testable import Scheduling

/// A 专题研判 request from the inspection service goes the conveners' way of
/// every ad hoc request: approved with the time and place it did not propose
/// (the sitting expects the units it named that are still members), or
/// refused with a reason; a time is not given to a request that proposed one.
@Suite(.enabled(if: SchedulingDatabase.isConfigured, "needs SJ_TEST_DATABASE_URL (scripts/test.sh)"))
struct SpecialStudyDecisionTests {
    static func request(_ api: MeetingAPIHarness, units: [String]) async throws -> UUID {
        let (requestId, warningId) = (UUID(), UUID())
        var event = InspectionFixture.specialStudy(requestId: requestId, warningId: warningId, holdBy: "2026-12-03", at: api.clock.now())
        var data = try JSONSerialization.jsonObject(with: Data(event.data)) as! [String: Any]
        var request = data["request"] as! [String: Any]
        request["unitIds"] = units
        data["request"] = request
        event.data = Array(try JSONSerialization.data(withJSONObject: data))
        let now = api.clock.function
        try await api.database.apply(event, with: SchedulingHandlers.make(settings: .defaults, clock: now))
        return requestId
    }

    @Test func approvedWithATimeAndPlaceTheSittingExpectsTheNamedUnits() async throws {
        try await MeetingAPIHarness.run(at: "2026-12-01T10:00:00") { api in
            let id = try await Self.request(api, units: ["education-bureau", "sports-center", "market-regulation-bureau"])
            let path = "/v1/ad-hoc-meeting-requests/\(id)/decision"
            let listed = try await api.call("GET", "/v1/ad-hoc-meeting-requests?status=pending", as: .convener)
            #expect(listed.items.map { ($0["id"] as? String)?.lowercased() } == [id.uuidString.lowercased()])
            #expect(listed.items.first?["proposedStartsAt"] == nil)

            let before = try await api.outboxSize()
            let noTime = try await api.call("POST", path, as: .convener, json: ["approved": true])
            #expect(noTime.status == 422 && noTime.fields == ["startsAt"])
            let halfTime = try await api.call("POST", path, as: .convener, json: ["approved": true, "startsAt": "2026-12-03T07:00:00Z"])
            #expect(halfTime.status == 422 && halfTime.fields == ["endsAt"])
            let past = try await api.call("POST", path, as: .convener, json: [
                "approved": true, "startsAt": "2026-11-30T07:00:00Z", "endsAt": "2026-11-30T08:00:00Z", "place": "县政府二楼会议室",
            ])
            #expect(past.status == 422 && past.fields == ["startsAt"])
            #expect(try await api.outboxSize() == before)

            let approved = try await api.call("POST", path, as: .convener, json: [
                "approved": true, "startsAt": "2026-12-03T07:00:00Z", "endsAt": "2026-12-03T08:30:00Z", "place": "县政府二楼会议室",
                "chairName": "周县长",
            ])
            #expect(approved.status == 200, "\(approved.text)")
            #expect(approved.json["status"] as? String == "approved" && approved.json["place"] as? String == "县政府二楼会议室")
            #expect(approved.json["proposedStartsAt"] as? String == "2026-12-03T07:00:00.000Z")
            let meetingId = try #require(approved.json["meetingId"] as? String)
            let meeting = try await api.call("GET", "/v1/meetings/\(meetingId)", as: .office)
            #expect(meeting.json["title"] as? String == "关于房县启航培训学校红色预警的专题研判")
            #expect(meeting.json["kind"] as? String == "liaison" && meeting.json["origin"] as? String == "ad-hoc-approved")
            #expect((meeting.json["chair"] as? [String: Any])?["name"] as? String == "周县长")
            // 县体育中心 is no longer a member unit: not expected.
            #expect((meeting.json["attendance"] as? [[String: Any]])?.compactMap { $0["unitId"] as? String }
                == ["education-bureau", "market-regulation-bureau"])
            #expect(try await api.events(EventType.adHocDecided) == 1)
            #expect(try await api.events(EventType.meetingScheduled) == 1)
        }
    }

    @Test func refusedWithAReasonAndATimeIsNotGivenToARequestThatProposedOne() async throws {
        try await MeetingAPIHarness.run(at: "2026-12-01T10:00:00") { api in
            let id = try await Self.request(api, units: ["education-bureau"])
            let refused = try await api.call("POST", "/v1/ad-hoc-meeting-requests/\(id)/decision", as: .convener, json: [
                "approved": false, "reason": "已在全体会议上研究部署。",
            ])
            #expect(refused.status == 200 && refused.json["status"] as? String == "refused")
            #expect(refused.json["meetingId"] == nil)
            let timeOnRefusal = try await api.call("POST", "/v1/ad-hoc-meeting-requests/\(id)/decision", as: .convener, json: [
                "approved": false, "reason": "x", "startsAt": "2026-12-03T07:00:00Z", "endsAt": "2026-12-03T08:30:00Z", "place": "会议室",
            ])
            #expect(timeOnRefusal.status == 422 && timeOnRefusal.fields == ["approved"])

            let office = try await api.call("POST", "/v1/ad-hoc-meeting-requests", as: .office, json: [
                "reason": "研究寒假校外培训治理工作", "proposedStartsAt": "2026-12-15T07:00:00Z", "proposedEndsAt": "2026-12-15T08:30:00Z",
                "place": "县教育局三楼会议室",
            ])
            let officeId = try #require(office.json["id"] as? String)
            let moved = try await api.call("POST", "/v1/ad-hoc-meeting-requests/\(officeId)/decision", as: .convener, json: [
                "approved": true, "startsAt": "2026-12-16T07:00:00Z", "endsAt": "2026-12-16T08:30:00Z", "place": "县政府二楼会议室",
            ])
            #expect(moved.status == 422 && moved.fields == ["startsAt"])
            let request = try await api.call("GET", "/v1/ad-hoc-meeting-requests/\(officeId)", as: .convener)
            #expect(request.json["status"] as? String == "pending")
        }
    }
}

/// A 专题研判 request's events are as docs/asyncapi.yaml (`AdHocRequest` of
/// docs/openapi/scheduling.yaml) documents them, pending and approved.
struct SpecialStudyContractTests {
    @Test func theRequestsEventsAreAsDocumented() throws {
        let asyncapi = try ContractAsyncAPI(documents: ContractDocuments())
        let time = Fixture.china("2026-12-01 10:00")
        let state = try InspectionFixture.specialStudy(requestId: UUID(), warningId: UUID(), holdBy: "2026-12-03", at: time)
            .decodeData(as: InspectionPayload.SpecialStudyState.self)
        let pending = state.adHocRequest(source: InspectionFixture.source, at: time)
        var approved = pending
        try approved.decide(approved: true, by: "convener-1", at: time, reason: nil)
        try AdHocRequestRoutes.settle(&approved, .init(startsAt: time.addingTimeInterval(86_400), endsAt: time.addingTimeInterval(90_000), place: "县政府二楼会议室"))
        approved.meetingId = UUID()
        for event in [try MeetingEvent.request(EventType.adHocRequested, pending), try MeetingEvent.request(EventType.adHocDecided, approved)] {
            for problem in try asyncapi.problems(
                topic: event.topic, type: event.type, key: event.aggregateId, headers: nil, subject: event.subject, payload: event.payload)
            {
                Issue.record(Comment(rawValue: "\(event.type): \(problem)"))
            }
        }
    }
}
