import Domain
import EventFlow
import Foundation
import Kafka
import ServiceKit
import Testing

@testable import Inspection

/// Joint inspections across processes: a real inspection service learns the
/// units and people from the registry's topics, the office opens a campaign,
/// forms two working groups and draws (双随机) with a given seed — the draw
/// re-runs to the same result and keeps the rules —, an inspector records
/// and submits, the finding is published for the scheduling service, and the
/// scheduling service's task events on Kafka carry it to the re-check: a
/// failed re-check starts round 2, a passed one closes it.
@Suite(.serialized) struct CampaignFlowTests {
    static let office = Principal(subject: "office-1", role: .office)

    static func person(_ id: UUID, _ name: String, unit: String) -> CloudEvent {
        Fixture.event(EventType.personCreated, ["person": [
            "id": id.uuidString, "name": name, "unitId": unit, "roles": ["liaison"], "version": 1,
            "updatedAt": "2026-09-30T08:00:00.000Z",
        ] as [String: Any]], source: Fixture.registry)
    }

    static func task(_ type: String, reference: String, taskId: UUID, completedAt: Date? = nil) -> CloudEvent {
        var task: [String: Any] = [
            "id": taskId.uuidString, "title": "整改", "origin": ["kind": "inspection-finding", "reference": reference],
            "leadUnitId": "education-bureau", "assistingUnitIds": [String](), "dueDate": "2026-12-14",
            "status": type == EventType.taskCompleted ? "completed" : "assigned", "version": 1,
        ]
        if let completedAt { task["completedAt"] = Fixture.iso(completedAt) }
        return Fixture.event(type, ["task": task], source: "/shuangjian/scheduling")
    }

    @Test func aCampaignDrawsInspectsRaisesAFindingAndClosesItOnRecheck() async throws {
        let world = try await ServiceWorld.start()
        defer { world.stop() }
        try await world.launch("inspection")
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(brokers: world.brokers), logger: ServiceWorld.logger)
        defer { Task { await producer.close() } }

        // Four people: two of the market regulator's and civil affairs' groups' inspectors are 县教育局's.
        let (p1, p2, p3, p4) = (UUID(), UUID(), UUID(), UUID())
        let units = ["market-regulation-bureau", "civil-affairs-bureau", "education-bureau", "education-bureau"]
        var records = Fixture.units.map { $0.kafkaRecord(topic: Topic.registryUnits, key: "unit") }
        for (index, id) in [p1, p2, p3, p4].enumerated() {
            records.append(Self.person(id, "检查员\(index + 1)", unit: units[index]).kafkaRecord(topic: Topic.registryPeople, key: "p\(index)"))
        }
        for result in await producer.send(records) { _ = try result.get() }
        let database = world.pool("inspection")
        try await waitUntil("the directory holds the units and people", timeout: .seconds(60)) {
            try await database.query("SELECT (SELECT count(*) FROM directory.units) + (SELECT count(*) FROM directory.people)")[0]
                .decode(0, as: Int.self) == 7
        }

        let office = try world.token(Self.office)
        let opened = try await world.request("inspection", "POST", "/v1/campaigns", token: office, json: [
            "title": "2026年“双减”工作联合指导检查", "basis": "通知 三（三）联合指导检查制度", "scope": "各成员单位落实“双减”职责情况",
            "startDate": "2026-12-01", "endDate": "2026-12-31", "rectificationWorkingDays": 10,
        ] as [String: Any])
        #expect(opened.status == 201, "\(opened.text)")
        let campaignId = try #require(opened.json["id"] as? String)

        // Bad input: every field named, nothing written.
        let bad = try await world.request("inspection", "POST", "/v1/campaigns", token: office, json: [
            "title": " ", "basis": "x", "scope": "x", "startDate": "2026-12-31", "endDate": "2026-12-01",
        ] as [String: Any])
        #expect(bad.status == 422)
        #expect(Set((bad.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }) == ["title", "endDate"])

        let groupA = try await world.request("inspection", "POST", "/v1/campaigns/\(campaignId)/groups", token: office, json: [
            "name": "第一联合工作组", "leadUnitId": "market-regulation-bureau", "inspectorIds": [p1.uuidString, p3.uuidString],
        ] as [String: Any])
        #expect(groupA.status == 201, "\(groupA.text)")
        // A person inspects for one group of a campaign.
        let twice = try await world.request("inspection", "POST", "/v1/campaigns/\(campaignId)/groups", token: office, json: [
            "name": "第二联合工作组", "leadUnitId": "civil-affairs-bureau", "inspectorIds": [p2.uuidString, p3.uuidString],
        ] as [String: Any])
        #expect(twice.status == 422)
        #expect(twice.json["field"] as? String == "inspectorIds")
        let groupB = try await world.request("inspection", "POST", "/v1/campaigns/\(campaignId)/groups", token: office, json: [
            "name": "第二联合工作组", "leadUnitId": "civil-affairs-bureau", "inspectorIds": [p2.uuidString, p4.uuidString],
        ] as [String: Any])
        #expect(groupB.status == 201, "\(groupB.text)")
        let groups = try #require(groupB.json["groups"] as? [[String: Any]])
        let groupIds = Dictionary(uniqueKeysWithValues: groups.map { ($0["name"] as! String, $0["id"] as! String) })

        // 双随机 with the office's seed.
        let drawn = try await world.request("inspection", "POST", "/v1/campaigns/\(campaignId)/draws", token: office, json: [
            "inspectorsPerInspection": 1, "seed": "00000000000004D2",
        ] as [String: Any])
        #expect(drawn.status == 201, "\(drawn.text)")
        #expect(drawn.json["seed"] as? String == "00000000000004d2")
        #expect((drawn.json["algorithm"] as? String)?.hasPrefix("shuangjian-draw/1") == true)
        let drawId = try #require(drawn.json["id"] as? String)
        let verified = try await world.request("inspection", "POST", "/v1/campaigns/\(campaignId)/draws/\(drawId)/verify", token: office)
        #expect(verified.status == 200)
        #expect(verified.json["matches"] as? Bool == true)
        // A convener re-runs it too.
        let convener = try world.token(Principal(subject: "convener-1", role: .convener))
        #expect(try await world.request("inspection", "POST", "/v1/campaigns/\(campaignId)/draws/\(drawId)/verify", token: convener)
            .json["matches"] as? Bool == true)

        let inspections = try await world.request("inspection", "GET", "/v1/inspections?campaignId=\(campaignId)", token: office).items
        #expect(inspections.count == 3)
        let personUnit = [p1: units[0], p2: units[1], p3: units[2], p4: units[3]].reduce(into: [String: String]()) {
            $0[$1.key.uuidString] = $1.value
        }
        for inspection in inspections {
            let unitId = try #require(inspection["unitId"] as? String)
            let group = try #require(groups.first { $0["id"] as? String == inspection["groupId"] as? String })
            #expect(!(group["memberUnitIds"] as! [String]).contains(unitId), "a group inspects its own unit \(unitId)")
            for inspector in inspection["inspectorIds"] as! [String] { #expect(personUnit[inspector] != unitId) }
            #expect(inspection["assignment"] as? String == "draw")
        }
        // By hand, the same rules: an inspector never inspects their own unit.
        let own = try await world.request("inspection", "POST", "/v1/campaigns/\(campaignId)/inspections", token: office, json: [
            "groupId": groupIds["第一联合工作组"]!, "unitId": "education-bureau", "inspectorIds": [p3.uuidString],
        ] as [String: Any])
        #expect(own.status == 422)
        #expect(own.json["field"] as? String == "inspectorIds")

        // The education bureau's inspection: its checklist from its duties, recorded by its inspector.
        let inspection = try #require(inspections.first { $0["unitId"] as? String == "education-bureau" })
        let inspectionId = try #require(inspection["id"] as? String)
        let items = try #require(inspection["items"] as? [[String: Any]])
        #expect(items.map { $0["id"] as! String } == ["d1", "d2", "n1"])
        #expect(items[0]["basis"] as? String == "二（二）")
        let inspectorId = try #require((inspection["inspectorIds"] as? [String])?.first)
        let inspector = try world.token(Principal(subject: inspectorId.lowercased(), role: .unit, unitId: personUnit[inspectorId]!))
        let inspected = try world.token(Principal(subject: "liaison-education", role: .unit, unitId: "education-bureau"))
        let refused = try await world.request("inspection", "PUT", "/v1/inspections/\(inspectionId)/items/d1", token: inspected, json: [
            "outcome": "compliant",
        ])
        #expect(refused.status == 403)
        let recorded = try await world.request("inspection", "PUT", "/v1/inspections/\(inspectionId)/items/d1", token: inspector, json: [
            "outcome": "not-compliant", "notes": "未建立校外培训机构日常监管台账", "needsRectification": true,
        ] as [String: Any])
        #expect(recorded.status == 200, "\(recorded.text)")
        let early = try await world.request("inspection", "POST", "/v1/inspections/\(inspectionId)/submit", token: inspector)
        #expect(early.status == 409)
        for item in ["d2", "n1"] {
            let ok = try await world.request("inspection", "PUT", "/v1/inspections/\(inspectionId)/items/\(item)", token: inspector, json: [
                "outcome": "compliant",
            ])
            #expect(ok.status == 200)
        }
        let submitted = try await world.request("inspection", "POST", "/v1/inspections/\(inspectionId)/submit", token: inspector)
        #expect(submitted.status == 200, "\(submitted.text)")
        #expect(submitted.json["score"] as? Double == 66.7)
        let findingId = try #require((submitted.json["findingIds"] as? [String])?.first)

        // The unit sees its finding; another unit does not.
        let finding = try await world.request("inspection", "GET", "/v1/findings/\(findingId)", token: inspected)
        #expect(finding.status == 200)
        #expect(finding.json["status"] as? String == "open")
        let round1 = try #require((finding.json["rectification"] as? [String: Any])?["id"] as? String)
        #expect(round1 == "\(findingId.lowercased())/1")
        let market = try world.token(Principal(subject: "liaison-market", role: .unit, unitId: "market-regulation-bureau"))
        #expect(try await world.request("inspection", "GET", "/v1/findings", token: market).json["total"] as? Int == 0)
        #expect(try await world.request("inspection", "GET", "/v1/findings", token: inspected).json["total"] as? Int == 1)

        // The scheduling service's task: taken on, then completed.
        let taskId = UUID()
        for result in await producer.send([
            Self.task(EventType.taskAssigned, reference: round1, taskId: taskId).kafkaRecord(topic: Topic.schedulingTasks, key: "t1"),
            Self.task(EventType.taskCompleted, reference: round1, taskId: taskId, completedAt: Date())
                .kafkaRecord(topic: Topic.schedulingTasks, key: "t1"),
        ]) { _ = try result.get() }
        try await waitUntil("the finding awaits its re-check", timeout: .seconds(60)) {
            try await world.request("inspection", "GET", "/v1/findings/\(findingId)", token: office).json["status"] as? String
                == "awaiting-recheck"
        }
        let failed = try await world.request("inspection", "POST", "/v1/findings/\(findingId)/recheck", token: inspector, json: [
            "passed": false, "note": "台账仍不完整", "rectificationWorkingDays": 5,
        ] as [String: Any])
        #expect(failed.status == 200, "\(failed.text)")
        #expect(failed.json["status"] as? String == "open")
        let round2 = try #require(failed.json["rectification"] as? [String: Any])
        #expect(round2["round"] as? Int == 2)
        #expect(round2["workingDays"] as? Int == 5)

        let secondTask = UUID()
        for result in await producer.send([
            Self.task(EventType.taskCompleted, reference: round2["id"] as! String, taskId: secondTask, completedAt: Date())
                .kafkaRecord(topic: Topic.schedulingTasks, key: "t2"),
        ]) { _ = try result.get() }
        try await waitUntil("round 2 awaits its re-check", timeout: .seconds(60)) {
            try await world.request("inspection", "GET", "/v1/findings/\(findingId)", token: office).json["status"] as? String
                == "awaiting-recheck"
        }
        let passed = try await world.request("inspection", "POST", "/v1/findings/\(findingId)/recheck", token: inspector, json: [
            "passed": true, "note": "已整改到位",
        ] as [String: Any])
        #expect(passed.status == 200)
        #expect(passed.json["status"] as? String == "closed")

        // Published with the whole finding, in order, for the scheduling service.
        let types = try await database.query("SELECT type FROM outbox WHERE aggregatetype = 'finding' ORDER BY seq").map {
            try $0.decode(0, as: String.self)
        }
        #expect(types == [EventType.findingRaised, EventType.findingAwaitingRecheck, EventType.findingRecheckFailed,
                          EventType.findingAwaitingRecheck, EventType.findingClosed])
        let payload = try #require(try await database.query("""
            SELECT payload::text FROM outbox WHERE type = \(EventType.findingRecheckFailed)
            """).first?.decode(0, as: String.self))
        let state = try #require((try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any])?["finding"] as? [String: Any])
        #expect((state["rectification"] as? [String: Any])?["id"] as? String == "\(findingId.lowercased())/2")
        #expect(state["unitId"] as? String == "education-bureau")
        #expect((state["item"] as? [String: Any])?["basis"] as? String == "二（二）")
    }
}
