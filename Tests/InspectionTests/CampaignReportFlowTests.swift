import Domain
import EventFlow
import Foundation
import Kafka
import ServiceKit
import Testing

@testable import Inspection

/// A campaign's end across processes: a hand-assigned inspection submitted
/// with a finding, the circulated report (通报) to every member unit — which
/// closes the campaign — and the statistics per unit as JSON and as CSV.
@Suite(.serialized) struct CampaignReportFlowTests {
    @Test func theReportIsCirculatedToEveryUnitAndTheStatisticsCountTheFindings() async throws {
        let world = try await ServiceWorld.start()
        defer { world.stop() }
        try await world.launch("inspection")
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(brokers: world.brokers), logger: ServiceWorld.logger)
        defer { Task { await producer.close() } }
        let inspectorId = UUID()
        var records = Fixture.units.map { $0.kafkaRecord(topic: Topic.registryUnits, key: "unit") }
        records.append(CampaignFlowTests.person(inspectorId, "王芳", unit: "market-regulation-bureau")
            .kafkaRecord(topic: Topic.registryPeople, key: "p"))
        for result in await producer.send(records) { _ = try result.get() }
        let database = world.pool("inspection")
        try await waitUntil("the directory holds the units and the inspector", timeout: .seconds(60)) {
            try await database.query("SELECT (SELECT count(*) FROM directory.units) + (SELECT count(*) FROM directory.people)")[0]
                .decode(0, as: Int.self) == 4
        }
        let office = try world.token(CampaignFlowTests.office)
        let campaign = try await world.request("inspection", "POST", "/v1/campaigns", token: office, json: [
            "title": "2026年校外培训监管专项检查", "basis": "通知 三（三）", "scope": "日常监管职责落实情况",
            "startDate": "2026-12-01", "endDate": "2026-12-31",
            "items": [["text": "是否建立校外培训机构日常监管台账", "basis": "二（二）"]],
        ] as [String: Any])
        #expect(campaign.status == 201, "\(campaign.text)")
        let campaignId = try #require(campaign.json["id"] as? String)
        let noticed = try #require(try await database.query("""
            SELECT payload::text FROM outbox WHERE type = \(EventType.campaignOpened)
            """).first?.decode(0, as: String.self))
        let notice = try JSONSerialization.jsonObject(with: Data(noticed.utf8)) as? [String: Any]
        #expect(notice?["noticeUnitIds"] as? [String] == ["education-bureau", "market-regulation-bureau", "civil-affairs-bureau"])
        let group = try await world.request("inspection", "POST", "/v1/campaigns/\(campaignId)/groups", token: office, json: [
            "name": "联合工作组", "leadUnitId": "market-regulation-bureau", "memberUnitIds": ["civil-affairs-bureau"],
            "inspectorIds": [inspectorId.uuidString],
        ] as [String: Any])
        let groupId = try #require((group.json["groups"] as? [[String: Any]])?.first?["id"] as? String)
        // A group never inspects one of its own units.
        let ownUnit = try await world.request("inspection", "POST", "/v1/campaigns/\(campaignId)/inspections", token: office, json: [
            "groupId": groupId, "unitId": "civil-affairs-bureau", "inspectorIds": [inspectorId.uuidString],
        ] as [String: Any])
        #expect(ownUnit.status == 422)
        #expect(ownUnit.json["field"] as? String == "unitId")
        let assigned = try await world.request("inspection", "POST", "/v1/campaigns/\(campaignId)/inspections", token: office, json: [
            "groupId": groupId, "unitId": "education-bureau", "inspectorIds": [inspectorId.uuidString],
        ] as [String: Any])
        #expect(assigned.status == 201, "\(assigned.text)")
        let inspectionId = try #require(assigned.json["id"] as? String)
        let items = (assigned.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(items == ["d1", "d2", "n1", "o1"])
        let inspector = try world.token(Principal(subject: inspectorId.uuidString, role: .unit, unitId: "market-regulation-bureau"))
        for item in items {
            let body: [String: Any] = item == "o1"
                ? ["outcome": "partly", "notes": "台账信息不全", "needsRectification": true]
                : ["outcome": "compliant"]
            #expect(try await world.request("inspection", "PUT", "/v1/inspections/\(inspectionId)/items/\(item)", token: inspector, json: body)
                .status == 200)
        }
        let submitted = try await world.request("inspection", "POST", "/v1/inspections/\(inspectionId)/submit", token: inspector)
        #expect(submitted.json["score"] as? Double == 87.5)

        let circulated = try await world.request("inspection", "POST", "/v1/campaigns/\(campaignId)/report", token: office, json: [
            "note": "县教育局能够按照职责分工推进“双减”工作，日常监管台账有待完善",
        ])
        #expect(circulated.status == 200, "\(circulated.text)")
        #expect(circulated.json["status"] as? String == "closed")
        let report = try #require(circulated.json["report"] as? [String: Any])
        #expect(report["recipientUnitIds"] as? [String] == ["education-bureau", "market-regulation-bureau", "civil-affairs-bureau"])
        let totals = try #require(report["totals"] as? [String: Any])
        #expect(totals["inspections"] as? Int == 1)
        #expect(totals["findings"] as? Int == 1)
        #expect(totals["openFindings"] as? Int == 1)
        // Circulated once; a closed campaign takes no more assignments.
        #expect(try await world.request("inspection", "POST", "/v1/campaigns/\(campaignId)/report", token: office, json: ["note": "再次"])
            .status == 409)
        #expect(try await database.query("""
            SELECT count(*)::int FROM outbox WHERE type = \(EventType.campaignReportCirculated)
            """)[0].decode(0, as: Int.self) == 1)

        // Statistics: the unit's row; a unit token its own only.
        let statistics = try await world.request("inspection", "GET", "/v1/inspection-statistics?campaignId=\(campaignId)", token: office)
        #expect(statistics.status == 200, "\(statistics.text)")
        let rows = statistics.json["rows"] as? [[String: Any]] ?? []
        let education = try #require(rows.first { $0["unitId"] as? String == "education-bureau" })
        #expect(education["inspections"] as? Int == 1)
        #expect(education["averageScore"] as? Double == 87.5)
        #expect(education["findings"] as? Int == 1)
        #expect(education["openFindings"] as? Int == 1)
        #expect((education["openWarnings"] as? [String: Int]) == ["blue": 0, "yellow": 0, "orange": 0, "red": 0])
        #expect((education["warningsRaised"] as? [String: Int]) == ["blue": 0, "yellow": 0, "orange": 0, "red": 0])
        let unit = try world.token(Principal(subject: "liaison-education", role: .unit, unitId: "education-bureau"))
        let own = try await world.request("inspection", "GET", "/v1/inspection-statistics", token: unit)
        #expect((own.json["rows"] as? [[String: Any]])?.map { $0["unitId"] as? String } == ["education-bureau"])
        #expect(try await world.request("inspection", "GET", "/v1/inspection-statistics?unitId=civil-affairs-bureau", token: unit)
            .status == 403)
        let csv = try await world.request("inspection", "GET", "/v1/inspection-statistics?format=csv&from=2026-01-01&to=2099-12-31", token: office)
        #expect(csv.status == 200)
        #expect(csv.headers["content-type"]?.hasPrefix("text/csv") == true || csv.headers["Content-Type"]?.hasPrefix("text/csv") == true)
        #expect(Array(csv.body.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let lines = csv.text.dropFirst().components(separatedBy: "\r\n")
        #expect(lines.first == InspectionStatisticsCSV.headings.joined(separator: ","))
        #expect(lines.contains("县教育局,education-bureau,1,1,87.5,1,0,0,1,0,0,0,0,0,0,0,0"))
    }
}
