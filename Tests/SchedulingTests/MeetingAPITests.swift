import Domain
import Foundation
import Testing

@testable import Scheduling

/// The meetings API over HTTP against a real PostgreSQL: a plenary from
/// notice to minutes, the ad hoc paths, the series, and calendar feeds.
@Suite(.serialized, .enabled(if: SchedulingDatabase.isConfigured, "needs SJ_TEST_DATABASE_URL (scripts/test.sh)"))
struct MeetingAPITests {
    static var plenary: [String: Any] { [
        "kind": "plenary", "title": "2026年下半年协调机制全体会议",
        "startsAt": "2026-12-10T01:00:00Z", "endsAt": "2026-12-10T03:30:00Z", "place": "县教育局三楼会议室",
        "chair": ["name": "周县长", "personId": MeetingAPIHarness.convener.uuidString],
        "agenda": [
            ["title": "通报全县“双减”工作进展", "presenterUnitId": "education-bureau"],
            ["title": "校外培训预收费监管专题研究", "invitations": [
                ["kind": "expert", "name": "李华", "organisation": "湖北大学", "field": "教育经济", "contact": "13800000000"],
            ]],
        ],
    ] }

    @Test func aPlenaryFromNoticeToMinutes() async throws {
        try await MeetingAPIHarness.run(at: "2026-11-30T10:00:00") { api in
            let created = try await api.call("POST", "/v1/meetings", as: .office, json: Self.plenary, headers: ["Idempotency-Key": "plenary-1"])
            #expect(created.status == 201)
            let id = try #require(created.json["id"] as? String)
            #expect(created.json["origin"] as? String == "series")
            #expect((created.json["attendance"] as? [[String: Any]])?.compactMap { $0["unitId"] as? String }
                    == ["education-bureau", "market-regulation-bureau", "finance-bureau"])
            var withRemoved = Self.plenary
            withRemoved["expectedUnitIds"] = ["education-bureau", "sports-center"]
            let removed = try await api.call("POST", "/v1/meetings", as: .office, json: withRemoved)
            #expect(removed.status == 422 && removed.fields == ["expectedUnitIds"])
            let replay = try await api.call("POST", "/v1/meetings", as: .office, json: Self.plenary, headers: ["Idempotency-Key": "plenary-1"])
            #expect(replay.header("Idempotent-Replayed") == "true" && replay.json["id"] as? String == id)
            #expect(try await api.events(EventType.meetingScheduled) == 1)

            // Who sees it: a unit only its own sittings.
            #expect(try await api.call("GET", "/v1/meetings/\(id)", as: .unit("education-bureau")).status == 200)
            #expect(try await api.call("GET", "/v1/meetings?unitId=finance-bureau", as: .unit("education-bureau")).status == 403)
            #expect(try await api.call("GET", "/v1/meetings", as: .unit("tax-bureau")).items.isEmpty)
            #expect(try await api.call("GET", "/v1/meetings", as: .countySystem).items.count == 1)

            // Answers: a deputy must be named; a unit answers only for itself.
            let before = try await api.outboxSize()
            let unnamed = try await api.call("POST", "/v1/meetings/\(id)/answers", as: .unit("education-bureau"),
                                             json: ["unitId": "education-bureau", "answer": "deputy"])
            #expect(unnamed.status == 422 && unnamed.fields == ["attendeeName"])
            let absentWithoutReason = try await api.call("POST", "/v1/meetings/\(id)/answers", as: .office,
                                                         json: ["unitId": "finance-bureau", "answer": "absent"])
            #expect(absentWithoutReason.status == 422 && absentWithoutReason.fields == ["reason"])
            #expect(try await api.call("POST", "/v1/meetings/\(id)/answers", as: .unit("finance-bureau"),
                                       json: ["unitId": "education-bureau", "answer": "attends"]).status == 403)
            #expect(try await api.outboxSize() == before)
            let deputy = try await api.call("POST", "/v1/meetings/\(id)/answers", as: .unit("education-bureau"),
                                            json: ["unitId": "education-bureau", "answer": "deputy", "attendeeName": "赵敏", "attendeeTitle": "副局长"])
            #expect(deputy.status == 200)
            #expect(try await api.events(EventType.meetingAnswered) == 1)

            // The office chases the two that have not answered.
            let chased = try await api.call("POST", "/v1/meetings/\(id)/chase", as: .office)
            #expect(chased.status == 200)
            let chasedUnits = (chased.json["attendance"] as? [[String: Any]] ?? []).filter { !(($0["chasedAt"] as? [Any]) ?? []).isEmpty }
            #expect(chasedUnits.compactMap { $0["unitId"] as? String } == ["market-regulation-bureau", "finance-bureau"])

            // The invitation: REQUEST, stable UID, the answer as PARTSTAT.
            let invitation = try await api.call("GET", "/v1/meetings/\(id)/calendar.ics", as: .unit("education-bureau"))
            #expect(invitation.header("Content-Type") == "text/calendar; charset=utf-8; method=REQUEST")
            let lines = invitation.text.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n")
            #expect(lines.contains("METHOD:REQUEST"))
            #expect(lines.contains("UID:meeting-\(id.lowercased())@shuangjian.fangxian.gov.cn"))
            #expect(lines.contains("SEQUENCE:0"))
            #expect(lines.contains("ATTENDEE;CN=县教育局 赵敏;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:urn:shuangjian:unit:education-bureau"))
            // A plenary expects each unit's member: 县市场监管局 has none named, so the unit itself is asked.
            #expect(lines.contains("ATTENDEE;CN=县市场监管局;CUTYPE=GROUP;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:urn:shuangjian:unit:market-regulation-bureau"))

            // A new place: SEQUENCE 1; the same place again changes nothing.
            #expect(try await api.call("PATCH", "/v1/meetings/\(id)", as: .office, json: ["place": "县政府二楼会议室"]).json["sequence"] as? Int == 1)
            #expect(try await api.call("PATCH", "/v1/meetings/\(id)", as: .office, json: ["place": "县政府二楼会议室"]).json["sequence"] as? Int == 1)
            #expect(try await api.events(EventType.meetingRevised) == 1)
            #expect(try await api.call("GET", "/v1/meetings/\(id)/calendar.ics", as: .office).text.contains("SEQUENCE:1\r\n"))

            // Minutes only after the sitting.
            let decisions: [[String: Any]] = [
                ["text": "开展校外培训预收费专项检查", "leadUnitId": "market-regulation-bureau", "assistingUnitIds": ["finance-bureau"],
                 "deadline": ["workingDays": 10]],
                // 2027-01-01 is 元旦: due the next working day.
                ["text": "制定课后服务经费保障方案", "leadUnitId": "finance-bureau", "deadline": ["date": "2027-01-01"]],
            ]
            let early = try await api.call("POST", "/v1/meetings/\(id)/minutes", as: .office, json: ["summary": "会议研究了预收费监管工作。", "decisions": decisions])
            #expect(early.status == 409)
            api.clock.set(MeetingSample.instant("2026-12-10T11:40:00"))
            let held = try await api.call("POST", "/v1/meetings/\(id)/attendance", as: .office, json: ["records": [
                ["unitId": "education-bureau", "present": true, "attendeeName": "赵敏"],
                ["unitId": "market-regulation-bureau", "present": true, "attendeeName": "陈静"],
                ["unitId": "finance-bureau", "present": false, "note": "未请假"],
            ]])
            #expect(held.status == 200 && held.json["status"] as? String == "held")

            let unknownLead = try await api.call("POST", "/v1/meetings/\(id)/minutes", as: .office, json: [
                "summary": "纪要", "decisions": [["text": "事项", "leadUnitId": "no-such-unit", "deadline": ["workingDays": 5]]],
            ])
            #expect(unknownLead.status == 422 && unknownLead.fields == ["decisions"])
            let bothDeadlines = try await api.call("POST", "/v1/meetings/\(id)/minutes", as: .office, json: [
                "summary": "纪要", "decisions": [["text": "事项", "leadUnitId": "finance-bureau", "deadline": ["workingDays": 5, "date": "2026-12-31"]]],
            ])
            #expect(bothDeadlines.status == 422 && bothDeadlines.fields == ["decisions[0].deadline"])
            let published = try await api.call("POST", "/v1/meetings/\(id)/minutes", as: .office, json: ["summary": "会议研究了预收费监管工作。", "decisions": decisions])
            #expect(published.status == 200)
            let minutes = try #require(published.json["minutes"] as? [String: Any])
            #expect(minutes["number"] as? String == "房双减纪〔2026〕1号")
            let due = (minutes["decisions"] as? [[String: Any]] ?? []).compactMap { $0["dueDate"] as? String }
            #expect(due == ["2026-12-24", "2027-01-04"])
            // Each decision became its lead unit's task, in the same transaction.
            let taskIds = (minutes["decisions"] as? [[String: Any]] ?? []).compactMap { $0["taskId"] as? String }
            #expect(taskIds.count == 2)
            let task = try await api.database.pool.query("""
                SELECT state::text FROM tasks WHERE id = \(UUID(uuidString: taskIds[0])!)
                """).first?.decode(0, as: String.self)
            let taskJSON = try JSONSerialization.jsonObject(with: Data((task ?? "{}").utf8)) as? [String: Any] ?? [:]
            #expect(taskJSON["leadUnitId"] as? String == "market-regulation-bureau")
            #expect(taskJSON["assistingUnitIds"] as? [String] == ["finance-bureau"])
            #expect(taskJSON["dueDate"] as? String == "2026-12-24")
            #expect((taskJSON["origin"] as? [String: Any])?["kind"] as? String == "decision")
            #expect(taskJSON["detail"] as? String == "2026年下半年协调机制全体会议会议纪要（房双减纪〔2026〕1号）决定事项：开展校外培训预收费专项检查")
            #expect(try await api.events(EventType.taskAssigned) == 2)
            #expect(try await api.call("POST", "/v1/meetings/\(id)/minutes", as: .office, json: ["summary": "再次", "decisions": [[String: Any]]()]).status == 409)
            #expect(try await api.events(EventType.minutesPublished) == 1)
            let audited = try await api.database.pool.query("SELECT count(*) FROM audit_log WHERE aggregate_id = \(id.lowercased())")
            // scheduled, answered, chased, revised, held, minutes published (the tasks are audited
            // as tasks): nothing refused or replayed is in it.
            #expect(try audited.first?.decode(0, as: Int.self) == 6)
        }
    }

    @Test func attendanceWaitsForTheSittingToStart() async throws {
        try await MeetingAPIHarness.run(at: "2026-11-30T10:00:00") { api in
            let created = try await api.call("POST", "/v1/meetings", as: .office, json: Self.plenary)
            let id = try #require(created.json["id"] as? String)
            let records: [String: Any] = ["records": [["unitId": "education-bureau", "present": true, "attendeeName": "王副局长"]]]
            let (outbox, audit) = (try await api.outboxSize(), try await api.auditEntries(id))

            // Ten days early, and one second early: 409 naming startsAt, nothing written.
            for early in ["2026-11-30T10:00:00", "2026-12-10T08:59:59"] {
                api.clock.set(MeetingSample.instant(early))
                let refused = try await api.call("POST", "/v1/meetings/\(id)/attendance", as: .office, json: records)
                #expect(refused.status == 409, "\(refused.text)")
                #expect(refused.header("Content-Type")?.hasPrefix("application/problem+json") == true)
                #expect(refused.json["type"] as? String == "urn:shuangjian:problem:conflict")
                #expect(refused.fields == ["startsAt"])
                #expect((refused.json["detail"] as? String)?.contains("2026-12-10T09:00:00+08:00") == true)
                // So the minutes are refused too: the sitting is not held.
                let minutes = try await api.call("POST", "/v1/meetings/\(id)/minutes", as: .office,
                                                  json: ["summary": "纪要", "decisions": [[String: Any]]()])
                #expect(minutes.status == 409)
            }
            let unchanged = try await api.call("GET", "/v1/meetings/\(id)", as: .office)
            #expect(unchanged.json["status"] as? String == "scheduled" && unchanged.json["version"] as? Int == 1)
            #expect((unchanged.json["attendance"] as? [[String: Any]] ?? []).allSatisfy { $0["recorded"] == nil })
            #expect(try await api.outboxSize() == outbox)
            #expect(try await api.auditEntries(id) == audit)

            // From the start on, the office records it and the sitting is held.
            api.clock.set(MeetingSample.instant("2026-12-10T09:00:00"))
            let held = try await api.call("POST", "/v1/meetings/\(id)/attendance", as: .office, json: records)
            #expect(held.status == 200 && held.json["status"] as? String == "held", "\(held.text)")
            #expect(try await api.events(EventType.meetingHeld) == 1)
            api.clock.set(MeetingSample.instant("2026-12-10T11:40:00"))
            #expect(try await api.call("POST", "/v1/meetings/\(id)/minutes", as: .office,
                                       json: ["summary": "会议通报了全县“双减”工作进展。", "decisions": [[String: Any]]()]).status == 200)

            // A cancelled sitting stays refused after its start, for what it is (no field).
            api.clock.set(MeetingSample.instant("2026-11-30T10:00:00"))
            let other = try await api.call("POST", "/v1/meetings", as: .office, json: Self.plenary)
            let otherId = try #require(other.json["id"] as? String)
            #expect(try await api.call("POST", "/v1/meetings/\(otherId)/cancel", as: .office, json: ["reason": "与县委常委会时间冲突"]).status == 200)
            api.clock.set(MeetingSample.instant("2026-12-10T10:00:00"))
            let cancelled = try await api.call("POST", "/v1/meetings/\(otherId)/attendance", as: .office, json: records)
            #expect(cancelled.status == 409 && cancelled.fields.isEmpty)
        }
    }

    @Test func adHocSittings() async throws {
        try await MeetingAPIHarness.run(at: "2026-11-30T10:00:00") { api in
            // A convener calls an ad hoc plenary directly, but not a liaison meeting.
            var liaison = Self.plenary
            liaison["kind"] = "liaison"
            let refused = try await api.call("POST", "/v1/meetings", as: .convener, json: liaison)
            #expect(refused.status == 422 && refused.fields == ["kind"])
            let called = try await api.call("POST", "/v1/meetings", as: .convener, json: Self.plenary)
            #expect(called.status == 201 && called.json["origin"] as? String == "ad-hoc-by-convener")

            // An ad hoc liaison meeting: requested by the office, decided by a convener, once.
            let request = try await api.call("POST", "/v1/ad-hoc-meeting-requests", as: .office, json: [
                "reason": "研究寒假校外培训治理工作", "proposedStartsAt": "2026-12-15T07:00:00Z", "proposedEndsAt": "2026-12-15T08:30:00Z",
                "place": "县教育局三楼会议室", "agenda": ["寒假校外培训治理"],
            ])
            #expect(request.status == 201 && request.json["status"] as? String == "pending")
            let requestId = try #require(request.json["id"] as? String)
            #expect(try await api.call("POST", "/v1/ad-hoc-meeting-requests/\(requestId)/decision", as: .office, json: ["approved": true]).status == 403)
            let noReason = try await api.call("POST", "/v1/ad-hoc-meeting-requests/\(requestId)/decision", as: .convener, json: ["approved": false])
            #expect(noReason.status == 422 && noReason.fields == ["reason"])
            let approved = try await api.call("POST", "/v1/ad-hoc-meeting-requests/\(requestId)/decision", as: .convener, json: ["approved": true])
            #expect(approved.status == 200 && approved.json["status"] as? String == "approved")
            let decided = try #require(approved.json["decided"] as? [String: Any])
            #expect(decided["by"] as? String == MeetingAPIHarness.convener.uuidString.lowercased())
            let meetingId = try #require(approved.json["meetingId"] as? String)
            let meeting = try await api.call("GET", "/v1/meetings/\(meetingId)", as: .office)
            #expect(meeting.json["origin"] as? String == "ad-hoc-approved" && meeting.json["kind"] as? String == "liaison")
            #expect(meeting.json["requestId"] as? String == requestId)
            #expect(try await api.call("POST", "/v1/ad-hoc-meeting-requests/\(requestId)/decision", as: .convener,
                                       json: ["approved": false, "reason": "改变主意"]).status == 409)
            #expect(try await api.events(EventType.adHocDecided) == 1)
            #expect(try await api.events(EventType.meetingScheduled) == 2)
        }
    }

    @Test func theSeriesIsMovedToWorkingDays() async throws {
        try await MeetingAPIHarness.run(at: "2026-11-30T10:00:00") { api in
            let bad = try await api.call("PUT", "/v1/meeting-series/liaison", as: .office, json: [
                "start": "2026-08-15T09:00:00", "rule": "FREQ=SOMETIMES", "place": "县教育局", "durationMinutes": 90,
            ])
            #expect(bad.status == 422 && bad.fields == ["rule"])
            let series = try await api.call("PUT", "/v1/meeting-series/liaison", as: .office, json: [
                "start": "2026-08-15T09:00:00", "rule": "FREQ=MONTHLY;INTERVAL=2", "place": "县教育局三楼会议室", "durationMinutes": 90,
            ])
            #expect(series.status == 200)
            #expect(try await api.call("PUT", "/v1/meeting-series/yearly", as: .office, json: [
                "start": "2026-08-15T09:00:00", "rule": "FREQ=YEARLY", "place": "县教育局", "durationMinutes": 90,
            ]).status == 404)
            let next = try await api.call("GET", "/v1/meeting-series/liaison/occurrences?from=2026-08-01&limit=3", as: .unit("finance-bureau"))
            // 08-15 is a Saturday: moved to Monday 08-17; 10-15 (Thu) and 12-15 (Tue) stay.
            #expect(next.items.compactMap { $0["start"] as? String } == ["2026-08-17T09:00:00", "2026-10-15T09:00:00", "2026-12-15T09:00:00"])
            #expect(next.items.compactMap { $0["moved"] as? Bool } == [true, false, false])
            let cadence = try await api.call("GET", "/v1/meeting-cadence", as: .convener)
            #expect(cadence.items.compactMap { $0["kind"] as? String } == ["plenary", "liaison"])
            #expect(try await api.call("GET", "/v1/meeting-cadence", as: .unit("finance-bureau")).status == 403)
        }
    }

    @Test func calendarFeedsAreReadWithARotatableToken() async throws {
        try await MeetingAPIHarness.run(at: "2026-11-30T10:00:00") { api in
            let created = try await api.call("POST", "/v1/meetings", as: .office, json: Self.plenary)
            let id = try #require(created.json["id"] as? String)

            #expect(try await api.call("POST", "/v1/calendar-feeds", as: .unit("finance-bureau"),
                                       json: ["ownerKind": "unit", "ownerId": "education-bureau"]).status == 403)
            let feed = try await api.call("POST", "/v1/calendar-feeds", as: .unit("education-bureau"),
                                          json: ["ownerKind": "unit", "ownerId": "education-bureau"])
            #expect(feed.status == 201)
            let token = try #require(feed.json["token"] as? String)
            #expect(token.count == 43)
            #expect(feed.json["url"] as? String == "https://sj.example/ical/units/education-bureau/meetings.ics?token=\(token)")
            let path = "/ical/units/education-bureau/meetings.ics?token=\(token)"
            let calendar = try await api.call("GET", path, as: nil)
            #expect(calendar.status == 200)
            #expect(calendar.header("Content-Type") == "text/calendar; charset=utf-8; method=PUBLISH")
            #expect(calendar.text.contains("METHOD:PUBLISH\r\n"))
            #expect(calendar.text.replacingOccurrences(of: "\r\n ", with: "").contains("UID:meeting-\(id.lowercased())@shuangjian.fangxian.gov.cn\r\n"))
            #expect(try await api.call("GET", "/ical/units/education-bureau/meetings.ics?token=wrong", as: nil).status == 404)
            #expect(try await api.call("GET", "/ical/units/finance-bureau/meetings.ics?token=\(token)", as: nil).status == 404)
            #expect(try await api.call("GET", "/ical/units/education-bureau/meetings.ics", as: nil).status == 404)

            // A cancelled sitting stays in the feed as CANCELLED; its invitation becomes a CANCEL.
            #expect(try await api.call("POST", "/v1/meetings/\(id)/cancel", as: .office, json: ["reason": "时间调整"]).status == 200)
            #expect(try await api.call("GET", path, as: nil).text.contains("STATUS:CANCELLED\r\n"))
            let cancel = try await api.call("GET", "/v1/meetings/\(id)/calendar.ics", as: .office)
            #expect(cancel.text.contains("METHOD:CANCEL\r\n") && cancel.text.contains("SEQUENCE:1\r\n"))

            // Rotation cuts the old URL off.
            let rotated = try await api.call("POST", "/v1/calendar-feeds", as: .office, json: ["ownerKind": "unit", "ownerId": "education-bureau"])
            #expect(rotated.json["token"] as? String != token)
            #expect(try await api.call("GET", path, as: nil).status == 404)

            // A person's own feed: the convener sees every plenary.
            let personal = try await api.call("POST", "/v1/calendar-feeds", as: .convener,
                                              json: ["ownerKind": "person", "ownerId": MeetingAPIHarness.convener.uuidString])
            #expect(personal.status == 201)
            let personalToken = try #require(personal.json["token"] as? String)
            let convenerCalendar = try await api.call(
                "GET", "/ical/people/\(MeetingAPIHarness.convener.uuidString.lowercased())/meetings.ics?token=\(personalToken)", as: nil)
            #expect(convenerCalendar.status == 200 && convenerCalendar.text.contains("BEGIN:VEVENT"))
            #expect(try await api.call("POST", "/v1/calendar-feeds", as: .convener,
                                       json: ["ownerKind": "person", "ownerId": MeetingAPIHarness.marketLiaison.uuidString]).status == 403)
            let unknown = try await api.call("POST", "/v1/calendar-feeds", as: .office, json: ["ownerKind": "person", "ownerId": UUID().uuidString])
            #expect(unknown.status == 422 && unknown.fields == ["ownerId"])
        }
    }
}
