import Domain
import EventFlow
import Foundation
import Kafka
import ServiceKit
import Testing

@testable import Inspection

/// An institution campaign across processes: the registry's institution is
/// drawn (双随机), inspected against the national rules, and its finding is
/// published for its supervising unit (leading the rectification) and the
/// units of the item's topics — the inspection service writes nothing of the
/// registry's.
@Suite(.serialized) struct InstitutionInspectionFlowTests {
    @Test func anInstitutionsFindingNamesItsSupervisingAndTopicUnits() async throws {
        let world = try await ServiceWorld.start()
        defer { world.stop() }
        try await world.launch("inspection")
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(brokers: world.brokers), logger: ServiceWorld.logger)
        defer { Task { await producer.close() } }
        let institutionId = UUID()
        let inspectorId = UUID()
        var records = Fixture.units.map { $0.kafkaRecord(topic: Topic.registryUnits, key: "unit") }
        records.append(Fixture.institutionEvent(id: institutionId).kafkaRecord(topic: Topic.registryInstitutions, key: "i"))
        records.append(CampaignFlowTests.person(inspectorId, "王芳", unit: "civil-affairs-bureau").kafkaRecord(topic: Topic.registryPeople, key: "p"))
        for result in await producer.send(records) { _ = try result.get() }
        let database = world.pool("inspection")
        try await waitUntil("the institution, units and inspector are known", timeout: .seconds(60)) {
            try await database.query("""
                SELECT (SELECT count(*) FROM registry_institutions) + (SELECT count(*) FROM directory.units) + (SELECT count(*) FROM directory.people)
                """)[0].decode(0, as: Int.self) == 5
        }
        let office = try world.token(CampaignFlowTests.office)
        let campaign = try await world.request("inspection", "POST", "/v1/campaigns", token: office, json: [
            "title": "2026年冬季校外培训机构专项检查", "basis": "通知 三（三）", "scope": "校外培训机构安全、收费、广告、师资、培训时间",
            "subjectKind": "institution", "startDate": "2026-12-01", "endDate": "2026-12-31",
        ] as [String: Any])
        let campaignId = try #require(campaign.json["id"] as? String)
        _ = try await world.request("inspection", "POST", "/v1/campaigns/\(campaignId)/groups", token: office, json: [
            "name": "联合工作组", "leadUnitId": "civil-affairs-bureau", "inspectorIds": [inspectorId.uuidString],
        ] as [String: Any])
        let drawn = try await world.request("inspection", "POST", "/v1/campaigns/\(campaignId)/draws", token: office, json: [
            "inspectorsPerInspection": 1,
        ])
        #expect(drawn.status == 201, "\(drawn.text)")
        #expect((drawn.json["assignments"] as? [[String: Any]])?.first?["subjectId"] as? String == institutionId.uuidString.lowercased())
        let inspection = try #require(try await world.request("inspection", "GET", "/v1/inspections?campaignId=\(campaignId)", token: office)
            .items.first)
        #expect(inspection["subjectName"] as? String == "房县启航培训学校")
        let items = (inspection["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(items == ["r1", "r2", "r3", "r4", "r5", "r6"])
        let inspectionId = try #require(inspection["id"] as? String)
        let inspector = try world.token(Principal(subject: inspectorId.uuidString, role: .unit, unitId: "civil-affairs-bureau"))
        for item in items {
            let body: [String: Any] = item == "r3"
                ? ["outcome": "not-compliant", "notes": "预收费未进入监管账户", "needsRectification": true]
                : ["outcome": "compliant"]
            #expect(try await world.request("inspection", "PUT", "/v1/inspections/\(inspectionId)/items/\(item)", token: inspector, json: body)
                .status == 200)
        }
        let submitted = try await world.request("inspection", "POST", "/v1/inspections/\(inspectionId)/submit", token: inspector)
        #expect(submitted.status == 200, "\(submitted.text)")
        let findingId = try #require((submitted.json["findingIds"] as? [String])?.first)
        let finding = try await world.request("inspection", "GET", "/v1/findings/\(findingId)", token: office)
        #expect(finding.json["subjectKind"] as? String == "institution")
        #expect(finding.json["institutionName"] as? String == "房县启航培训学校")
        // The registry's supervising unit leads; 县市场监管局 assists with price supervision.
        #expect(finding.json["unitId"] as? String == "education-bureau")
        #expect(finding.json["responsibleUnitIds"] as? [String] == ["education-bureau", "market-regulation-bureau"])
        #expect(((finding.json["rectification"] as? [String: Any])?["unitId"]) as? String == "education-bureau")
    }
}
