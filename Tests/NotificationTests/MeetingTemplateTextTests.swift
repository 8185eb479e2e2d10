import Domain
import EventFlow
import Foundation
import Testing

@testable import Notification

/// The texts of the scheduling service's meeting events (会议决策制度):
/// notice, change, cancellation, chase (催报), minutes (会议纪要), ad hoc
/// requests and the cadence watch — rendered for a realistic event each and
/// compared whole, with who receives them.
@Suite(.enabled(if: NotificationDatabase.isConfigured, "needs SJ_TEST_DATABASE_URL (scripts/test.sh)"))
struct MeetingTemplateTextTests {
    let base = TemplateTextTests()
    typealias Text = TemplateTextTests.Text
    typealias County = TemplateTextTests.County

    static let source = "/shuangjian/scheduling"
    static let units = ["education-bureau", "market-regulation-bureau", "finance-bureau"]

    func meeting(kind: String, title: String, extra: [String: Any] = [:]) -> [String: Any] {
        var meeting: [String: Any] = [
            "id": UUID().uuidString.lowercased(), "kind": kind, "origin": "series", "title": title,
            "startsAt": "2026-12-10T01:00:00Z", "endsAt": "2026-12-10T03:30:00Z", "place": "县教育局三楼会议室",
            "chair": ["name": "周县长"], "agenda": [[String: Any]](), "status": "scheduled",
            "attendance": Self.units.map { ["unitId": $0, "chasedAt": [String]()] }, "sequence": 0,
            "scheduled": ["by": "office", "at": "2026-09-30T02:00:00Z"], "version": 1, "updatedAt": "2026-09-30T02:00:00Z",
        ]
        meeting.merge(extra) { _, new in new }
        return meeting
    }

    func meetingEvent(_ type: String, _ meeting: [String: Any], extra: [String: Any] = [:]) -> CloudEvent {
        var data: [String: Any] = [
            "meeting": meeting, "kindTitle": meeting["kind"] as? String == "plenary" ? "协调机制全体会议" : "联络员例会",
            "expectedUnitIds": Self.units, "agendaTitles": ["通报全县“双减”工作进展", "研究校外培训预收费监管工作"],
            "decisionUnitIds": [String](), "decisionCount": 0,
        ]
        data.merge(extra) { _, new in new }
        return Fixture.event(type, data, time: base.now, source: Self.source)
    }

    @Test func aPlenaryNoticeGoesToEachUnitsMemberTheConvenersAndTheOffice() async throws {
        let (county, found) = try await base.texts { _ in
            meetingEvent(EventType.meetingScheduled, meeting(kind: "plenary", title: "2026年下半年协调机制全体会议"))
        }
        // 县市场监管局 and 县财政局 have members; 县教育局 has none in this county.
        #expect(Set(found.keys) == [county.marketMember, county.financeMember, county.convener, county.office])
        #expect(try base.text(found) == Text(
            title: "会议通知：2026年下半年协调机制全体会议",
            body: "定于2026年12月10日 09:00在县教育局三楼会议室召开2026年下半年协调机制全体会议，主持人：周县长。会议议题：通报全县“双减”工作进展、研究校外培训预收费监管工作。请准时参加，并于会前答复参会情况（本人参加、委托他人参加或请假并说明理由）。"))
    }

    @Test func aLiaisonMeetingNoticeGoesToEachUnitsLiaison() async throws {
        let (county, found) = try await base.texts { _ in
            meetingEvent(EventType.meetingScheduled, meeting(kind: "liaison", title: "2026年第6次联络员例会", extra: ["chair": ["name": "李主任"]]))
        }
        #expect(Set(found.keys) == [county.educationLiaison, county.marketLiaison, county.office])
        #expect(try base.text(found) == Text(
            title: "会议通知：2026年第6次联络员例会",
            body: "定于2026年12月10日 09:00在县教育局三楼会议室召开2026年第6次联络员例会，主持人：李主任。会议议题：通报全县“双减”工作进展、研究校外培训预收费监管工作。请准时参加，并于会前答复参会情况（本人参加、委托他人参加或请假并说明理由）。"))
    }

    @Test func aChangedSitting() async throws {
        let (_, found) = try await base.texts { _ in
            meetingEvent(EventType.meetingRevised, meeting(
                kind: "liaison", title: "2026年第6次联络员例会",
                extra: ["startsAt": "2026-12-11T06:30:00Z", "place": "县政府二楼会议室", "chair": ["name": "李主任"], "sequence": 1]))
        }
        #expect(try base.text(found) == Text(
            title: "会议变更通知：2026年第6次联络员例会",
            body: "2026年第6次联络员例会调整为2026年12月11日 14:30在县政府二楼会议室召开，主持人：李主任。会议议题：通报全县“双减”工作进展、研究校外培训预收费监管工作。请准时参加。"))
    }

    @Test func aCancelledSitting() async throws {
        let (county, found) = try await base.texts { _ in
            meetingEvent(EventType.meetingCancelled, meeting(
                kind: "plenary", title: "2026年下半年协调机制全体会议",
                extra: ["status": "cancelled", "cancelled": ["by": "office", "at": "2026-09-30T02:00:00Z", "reason": "与县政府常务会议时间冲突。"]]))
        }
        #expect(Set(found.keys) == [county.marketMember, county.financeMember, county.convener, county.office])
        #expect(try base.text(found) == Text(
            title: "会议取消通知：2026年下半年协调机制全体会议",
            body: "原定于2026年12月10日 09:00在县教育局三楼会议室召开的2026年下半年协调机制全体会议取消，原因：与县政府常务会议时间冲突。"))
    }

    @Test func aChaseGoesOnlyToUnitsThatHaveNotAnswered() async throws {
        let (county, found) = try await base.texts { _ in
            meetingEvent(EventType.meetingChased, meeting(kind: "liaison", title: "2026年第6次联络员例会"),
                         extra: ["chasedUnitIds": ["market-regulation-bureau"]])
        }
        #expect(Set(found.keys) == [county.marketLiaison])
        #expect(try base.text(found) == Text(
            title: "请答复参会情况：2026年第6次联络员例会",
            body: "2026年第6次联络员例会定于2026年12月10日 09:00在县教育局三楼会议室召开，贵单位尚未答复参会情况。请于会前答复（本人参加、委托他人参加或请假并说明理由）。"))
    }

    @Test func publishedMinutes() async throws {
        let minutes: [String: Any] = [
            "number": "房双减纪〔2026〕3号", "year": 2026, "sequence": 3, "summary": "会议研究了预收费监管工作。",
            "decisions": [[
                "id": UUID().uuidString, "text": "开展校外培训预收费专项检查", "leadUnitId": "market-regulation-bureau",
                "assistingUnitIds": ["financial-affairs-office"], "deadline": ["workingDays": 20], "dueDate": "2026-10-29",
                "dueDateProvisional": false,
            ]],
            "publishedBy": "office", "publishedAt": "2026-09-30T02:00:00Z",
        ]
        let (county, found) = try await base.texts { _ in
            meetingEvent(EventType.minutesPublished, meeting(
                kind: "plenary", title: "2026年下半年协调机制全体会议", extra: ["status": "held", "minutes": minutes]),
                extra: ["decisionUnitIds": ["market-regulation-bureau", "financial-affairs-office"], "decisionCount": 1])
        }
        #expect(Set(found.keys) == [
            county.educationLiaison, county.marketLiaison, county.financialLiaison, county.convener, county.office,
        ])
        #expect(try base.text(found) == Text(
            title: "会议纪要印发：房双减纪〔2026〕3号",
            body: "2026年下半年协调机制全体会议会议纪要（房双减纪〔2026〕3号）已于2026年9月30日印发，共1项决定事项。请各成员单位按照会议决定事项抓好落实，并按规定期限将相关办理情况报协调机制办公室。"))
    }

    func request(status: String, decided: [String: Any]?) -> CloudEvent {
        var request: [String: Any] = [
            "id": UUID().uuidString, "kind": "liaison", "reason": "研究暑期校外培训治理工作", "proposedStartsAt": "2026-10-15T07:00:00Z",
            "proposedEndsAt": "2026-10-15T08:30:00Z", "place": "县教育局三楼会议室", "agenda": ["暑期校外培训治理"], "status": status,
            "requested": ["by": "office", "at": "2026-09-30T02:00:00Z"], "version": 1, "updatedAt": "2026-09-30T02:00:00Z",
        ]
        if let decided { request["decided"] = decided }
        let type = decided == nil ? EventType.adHocRequested : EventType.adHocDecided
        return Fixture.event(type, ["request": request, "kindTitle": "联络员例会"], time: base.now, source: Self.source)
    }

    @Test func anAdHocRequestGoesToTheConveners() async throws {
        let (county, found) = try await base.texts { _ in request(status: "pending", decided: nil) }
        #expect(Set(found.keys) == [county.convener, county.office])
        #expect(try base.text(found) == Text(
            title: "临时召开联络员例会申请",
            body: "协调机制办公室申请于2026年10月15日 15:00在县教育局三楼会议室临时召开联络员例会，事由：研究暑期校外培训治理工作。按照会议决策制度，必要时经召集人同意，可临时召开例会，请审核。"))
    }

    @Test func anAdHocRequestApprovedOrRefused() async throws {
        let (_, approved) = try await base.texts { _ in
            request(status: "approved", decided: ["approved": true, "by": "convener", "at": "2026-09-30T03:00:00Z"])
        }
        #expect(try base.text(approved) == Text(
            title: "召集人同意临时召开联络员例会",
            body: "召集人已于2026年9月30日 11:00同意临时召开联络员例会，会议定于2026年10月15日 15:00在县教育局三楼会议室召开，事由：研究暑期校外培训治理工作。"))
        let (county, refused) = try await base.texts { _ in
            request(status: "refused", decided: ["approved": false, "by": "convener", "at": "2026-09-30T03:00:00Z", "reason": "并入11月联络员例会研究"])
        }
        #expect(Set(refused.keys) == [county.convener, county.office])
        #expect(try base.text(refused) == Text(
            title: "召集人未同意临时召开联络员例会",
            body: "协调机制办公室申请于2026年10月15日 15:00临时召开的联络员例会，召集人未予同意，理由：并入11月联络员例会研究。"))
    }

    func cadence(_ state: String, kind: String, title: String, rule: String, dueBy: String) -> CloudEvent {
        Fixture.event(EventType.meetingCadenceAlerted, [
            "cadence": ["kind": kind, "lastHeldOn": "2026-04-20", "dueBy": dueBy, "alertOn": "2026-10-13", "state": state],
            "kindTitle": title, "cadenceRule": rule, "alertedAt": "2026-09-30T02:00:00Z",
        ], time: base.now, source: Self.source)
    }

    @Test func theCadenceWatchAlertsTheOfficeAndTheConveners() async throws {
        let (county, dueSoon) = try await base.texts { _ in
            cadence("due-soon", kind: "plenary", title: "协调机制全体会议", rule: "原则上每半年召开一次协调机制全体会议", dueBy: "2026-10-20")
        }
        #expect(Set(dueSoon.keys) == [county.office, county.convener])
        #expect(try base.text(dueSoon) == Text(
            title: "协调机制全体会议召开提醒",
            body: "按照会议决策制度，原则上每半年召开一次协调机制全体会议。请于2026年10月20日前安排召开协调机制全体会议。"))
        let (_, missed) = try await base.texts { _ in
            cadence("missed", kind: "liaison", title: "联络员例会", rule: "原则上每两个月召开一次联络员例会", dueBy: "2026-09-15")
        }
        #expect(try base.text(missed) == Text(
            title: "联络员例会未按期召开",
            body: "按照会议决策制度，原则上每两个月召开一次联络员例会。截至2026年9月15日，联络员例会未按期召开，请尽快安排。"))
    }
}
