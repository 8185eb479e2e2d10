import Domain
import EventFlow
import Foundation
import Kafka
import ServiceKit
import Testing
import TestSupport

/// The inspection and the scheduling service as processes on a private
/// broker: county complaints about one institution raise its warning to red
/// in the inspection process; the scheduling process makes each handling
/// step its unit's task and the 专题研判 request an ad hoc meeting request,
/// which a convener approves with a time and place (the sitting expects the
/// units the warning named). A finding of the contract's shape, put on the
/// inspections topic, becomes the unit's rectification task.
@Suite(.serialized, .enabled(if: SchedulingDatabase.isConfigured, "needs scripts/test.sh"))
struct InspectionEventFlowTests {
    static let registry = "/shuangjian/registry"
    static let creditCode = "91420325MA4F0XYW1K"

    static func unit(_ id: String, _ name: String, duties: [(topics: [String], role: String)]) -> CloudEvent {
        InspectionFixture.event(EventType.unitAdmitted, ["unit": [
            "id": id, "name": name, "aliases": [String](),
            "duties": duties.enumerated().map { index, duty in
                ["id": "\(id)/\(index + 1)", "text": "职责", "topics": duty.topics, "sharedWith": [String](), "role": duty.role] as [String: Any]
            },
            "contact": [String: Any](), "admission": ["reference": "房政办函〔2022〕37号", "admittedAt": "2022-06-01T00:00:00.000Z"],
            "version": 1, "updatedAt": "2026-09-30T08:00:00.000Z",
        ] as [String: Any]]).withSource(registry)
    }

    static func institution() -> CloudEvent {
        InspectionFixture.event(EventType.institutionRegistered, ["institution": [
            "id": UUID().uuidString, "creditCode": creditCode, "name": "房县启航培训学校", "category": "subject", "nonProfit": false,
            "address": "房县城关镇", "status": "approved", "whitelisted": false, "blacklisted": false,
            "responsibleUnits": ["approving": ["education-bureau"], "registering": ["civil-affairs-bureau"],
                                 "standardSetting": ["education-bureau"], "supervising": ["education-bureau"]],
            "version": 1, "registeredAt": "2026-09-01T00:00:00.000Z", "updatedAt": "2026-09-01T00:00:00.000Z",
        ] as [String: Any]]).withSource(registry)
    }

    static func complaint(_ n: Int, at time: Date) -> CloudEvent {
        InspectionFixture.event(EventType.hotlineComplaintReceived, [
            "reference": "12345-20261201-\(n)", "occurredAt": RFC3339.format(time), "severity": "critical",
            "summary": "家长反映该机构在周末违规开展学科类培训",
            "concerns": ["institution": ["creditCode": creditCode, "name": "房县启航培训学校"]],
        ]).withSource("/fangxian/12345")
    }

    @Test func aRedWarningsStepsBecomeTasksAndItsSpecialStudyAnAdHocRequest() async throws {
        let world = try await ServiceWorld.start()
        defer { world.stop() }
        try await world.launch("inspection")
        try await world.launch("scheduling")
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(brokers: world.brokers), logger: ServiceWorld.logger)
        defer { Task { await producer.close() } }

        // The registry's units and the institution, as the registry publishes them, reach both services.
        let units = [
            Self.unit("education-bureau", "县教育局", duties: [(["coordination"], "lead"), (["daily-supervision"], "lead")]),
            Self.unit("market-regulation-bureau", "县市场监管局", duties: [(["daily-supervision", "price-supervision"], "assisting")]),
            Self.unit("civil-affairs-bureau", "县民政局", duties: [(["registration"], "lead")]),
        ]
        var records = units.map { $0.kafkaRecord(topic: Topic.registryUnits, key: "unit") }
        records.append(Self.institution().kafkaRecord(topic: Topic.registryInstitutions, key: "institution"))
        for result in await producer.send(records) { _ = try result.get() }
        let inspectionDB = world.pool("inspection")
        let schedulingDB = world.pool("scheduling")
        defer { Task { await inspectionDB.close(); await schedulingDB.close() } }
        try await waitUntil("both services know the units (and inspection the institution)", timeout: .seconds(90)) {
            let inspection = try await inspectionDB.query("""
                SELECT (SELECT count(*) FROM registry_institutions) + (SELECT count(*) FROM directory.units)
                """)[0].decode(0, as: Int.self)
            let scheduling = try await schedulingDB.query("SELECT count(*) FROM directory.units")[0].decode(0, as: Int.self)
            return inspection == 4 && scheduling == 3
        }

        // Three critical complaints about the institution: its warning reaches red.
        let now = Date()
        for result in await producer.send((1...3).map { Self.complaint($0, at: now).kafkaRecord(topic: Topic.countyEvents, key: "ticket-\($0)") }) {
            _ = try result.get()
        }
        let office = try world.token(Principal(subject: "office-1", role: .office))
        var warning: [String: Any] = [:]
        try await waitUntil("a red warning", timeout: .seconds(90)) {
            let found = try await world.request("inspection", "GET", "/v1/warnings", token: office).items.first
            warning = found ?? [:]
            return found?["level"] as? String == "red"
        }
        let warningId = try #require(warning["id"] as? String)
        let steps = try #require(warning["handlingSteps"] as? [[String: Any]])
        #expect(steps.contains { $0["level"] as? String == "red" })

        // Every step is its unit's task in the scheduling process, once.
        var tasks: [[String: Any]] = []
        try await waitUntil("a task per handling step", timeout: .seconds(90)) {
            tasks = try await world.request("scheduling", "GET", "/v1/tasks?origin=warning-handling", token: office).items
            return tasks.count == steps.count
        }
        for step in steps {
            let task = try #require(tasks.first { ($0["origin"] as? [String: Any])?["reference"] as? String == step["id"] as? String })
            #expect(task["leadUnitId"] as? String == step["unitId"] as? String)
            #expect(task["dueDate"] as? String == step["dueDate"] as? String)
            #expect((task["title"] as? String)?.hasPrefix("房县启航培训学校") == true)
            #expect((task["title"] as? String)?.hasSuffix("预警处置：\(step["title"] as? String ?? "")") == true)
        }
        let prefix = warningId.lowercased() + "/"
        #expect(tasks.allSatisfy { (($0["origin"] as? [String: Any])?["reference"] as? String)?.hasPrefix(prefix) ?? false })

        // The 专题研判 request waits for the conveners.
        let convener = try world.token(Principal(subject: "convener-1", role: .convener))
        var request: [String: Any] = [:]
        try await waitUntil("the special-study request", timeout: .seconds(90)) {
            request = try await world.request("scheduling", "GET", "/v1/ad-hoc-meeting-requests?status=pending", token: convener)
                .items.first ?? [:]
            return !request.isEmpty
        }
        let requestId = try #require(request["id"] as? String)
        #expect((request["specialStudy"] as? [String: Any])?["warningId"] as? String == warningId)
        #expect((request["specialStudy"] as? [String: Any])?["source"] as? String == "/shuangjian/inspection")
        #expect((request["requested"] as? [String: Any])?["by"] as? String == "inspection")
        #expect(request["title"] as? String == "关于房县启航培训学校红色预警的专题研判")
        let named = try #require(request["unitIds"] as? [String])
        #expect(named.first == "education-bureau")

        // Approval needs the sitting's time and place; then the sitting expects the units the request named.
        let missing = try await world.request("scheduling", "POST", "/v1/ad-hoc-meeting-requests/\(requestId)/decision",
                                              token: convener, json: ["approved": true])
        #expect(missing.status == 422 && missing.text.contains("startsAt"), "\(missing.text)")
        let startsAt = now.addingTimeInterval(2 * 86_400)
        let approved = try await world.request("scheduling", "POST", "/v1/ad-hoc-meeting-requests/\(requestId)/decision",
                                               token: convener, json: [
            "approved": true, "startsAt": RFC3339.format(startsAt), "endsAt": RFC3339.format(startsAt.addingTimeInterval(5400)),
            "place": "县政府二楼会议室", "chairName": "周县长",
        ])
        #expect(approved.status == 200, "\(approved.text)")
        let meetingId = try #require(approved.json["meetingId"] as? String)
        let meeting = try await world.request("scheduling", "GET", "/v1/meetings/\(meetingId)", token: office)
        #expect(meeting.json["title"] as? String == "关于房县启航培训学校红色预警的专题研判")
        #expect((meeting.json["attendance"] as? [[String: Any]])?.compactMap { $0["unitId"] as? String } == named)

        // A finding of the contract's shape on the inspections topic: the unit's rectification task.
        let findingId = UUID()
        let finding = InspectionFixture.findingEvent(EventType.findingRaised, InspectionFixture.finding(
            id: findingId, status: "rectifying", round: 1, dueDate: "2026-12-14", version: 1, at: now,
            assisting: ["market-regulation-bureau"]), at: now)
        for result in await producer.send([finding.kafkaRecord(topic: Topic.inspectionInspections, key: findingId.uuidString.lowercased())]) {
            _ = try result.get()
        }
        var rectification: [String: Any] = [:]
        try await waitUntil("the rectification task", timeout: .seconds(90)) {
            rectification = try await world.request("scheduling", "GET", "/v1/tasks?origin=inspection-finding", token: office)
                .items.first ?? [:]
            return !rectification.isEmpty
        }
        #expect((rectification["origin"] as? [String: Any])?["reference"] as? String == "\(findingId.uuidString.lowercased())/1")
        #expect(rectification["title"] as? String == "整改：课后服务经费保障机制")
        #expect(rectification["leadUnitId"] as? String == "education-bureau")
        #expect(rectification["assistingUnitIds"] as? [String] == ["market-regulation-bureau"])
        #expect(rectification["dueDate"] as? String == "2026-12-14")
    }
}

extension CloudEvent {
    /// The same event as sent by another system.
    func withSource(_ source: String) -> CloudEvent {
        CloudEvent(id: id, source: source, type: type, time: time, data: data)
    }
}
