import Domain
import EventFlow
import Foundation
import Kafka
import Postgres
import ServiceKit
import Testing

@testable import Inspection

/// Evidence files (佐证材料) of an inspection's items against the real
/// inspection process and PostgreSQL: an inspector uploads files checked by
/// the rules every service shares, the item lists them, the inspection's
/// readers list and download them, a stranger is refused, the inspector
/// removes one, and a submitted inspection's evidence is final — each act
/// published with descriptions only and in the audit log.
@Suite(.serialized) struct EvidenceFlowTests {
    @Test func inspectorsAttachCheckedFilesThatTheInspectionsReadersDownload() async throws {
        let world = try await ServiceWorld.start()
        defer { world.stop() }
        try await world.launch("inspection", environment: ["SJ_INSPECTION_EVIDENCE_MAX_BYTES": "4096"])
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(brokers: world.brokers), logger: ServiceWorld.logger)
        defer { Task { await producer.close() } }
        let (inspectorId, otherId) = (UUID(), UUID())
        var records = Fixture.units.map { $0.kafkaRecord(topic: Topic.registryUnits, key: "unit") }
        records.append(CampaignFlowTests.person(inspectorId, "王芳", unit: "market-regulation-bureau")
            .kafkaRecord(topic: Topic.registryPeople, key: "p1"))
        records.append(CampaignFlowTests.person(otherId, "李强", unit: "civil-affairs-bureau")
            .kafkaRecord(topic: Topic.registryPeople, key: "p2"))
        for result in await producer.send(records) { _ = try result.get() }
        let database = world.pool("inspection")
        try await waitUntil("the directory holds the units and the people", timeout: .seconds(60)) {
            try await database.query("SELECT (SELECT count(*) FROM directory.units) + (SELECT count(*) FROM directory.people)")[0]
                .decode(0, as: Int.self) == 5
        }
        let office = try world.token(CampaignFlowTests.office)
        let campaign = try await world.request("inspection", "POST", "/v1/campaigns", token: office, json: [
            "title": "2026年“双减”工作联合指导检查", "basis": "通知 三（三）", "scope": "各成员单位落实“双减”职责情况",
            "startDate": "2026-12-01", "endDate": "2026-12-31",
        ] as [String: Any])
        let campaignId = try #require(campaign.json["id"] as? String, "\(campaign.text)")
        let group = try await world.request("inspection", "POST", "/v1/campaigns/\(campaignId)/groups", token: office, json: [
            "name": "联合工作组", "leadUnitId": "market-regulation-bureau", "inspectorIds": [inspectorId.uuidString, otherId.uuidString],
        ] as [String: Any])
        let groupId = try #require((group.json["groups"] as? [[String: Any]])?.first?["id"] as? String, "\(group.text)")
        let assigned = try await world.request("inspection", "POST", "/v1/campaigns/\(campaignId)/inspections", token: office, json: [
            "groupId": groupId, "unitId": "education-bureau", "inspectorIds": [inspectorId.uuidString],
        ] as [String: Any])
        let inspectionId = try #require(assigned.json["id"] as? String, "\(assigned.text)")

        let inspector = try world.token(Principal(subject: inspectorId.uuidString.lowercased(), role: .unit, unitId: "market-regulation-bureau"))
        // Of the same group but not named by this inspection.
        let other = try world.token(Principal(subject: otherId.uuidString.lowercased(), role: .unit, unitId: "civil-affairs-bureau"))
        let inspected = try world.token(Principal(subject: "liaison-education", role: .unit, unitId: "education-bureau"))
        let convener = try world.token(Principal(subject: "convener-1", role: .convener))
        let openapi = try InspectionContractTests.openapi()
        func upload(_ item: String, _ name: String, _ data: Data, token: String, key: String? = nil) async throws -> ServiceWorld.Response {
            let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            return try await world.request(
                "inspection", "POST", "/v1/inspections/\(inspectionId)/items/\(item)/evidence?fileName=\(encoded)", token: token,
                body: data, headers: key.map { ["Idempotency-Key": $0] } ?? [:])
        }

        // The inspector attaches a scanned register to d1.
        let pdf = SampleFiles.pdf
        let uploaded = try await upload("d1", "监管台账.pdf", pdf, token: inspector, key: "evidence-1")
        #expect(uploaded.status == 201, "\(uploaded.text)")
        #expect(uploaded.json["sha256"] as? String == AttachmentUpload.sha256(pdf) && uploaded.json["kind"] as? String == "pdf")
        #expect(uploaded.json["size"] as? Int == pdf.count && uploaded.json["itemId"] as? String == "d1")
        for problem in try openapi.problems("post", "/v1/inspections/{id}/items/{itemId}/evidence", uploaded) {
            Issue.record(Comment(rawValue: problem))
        }
        let fileId = try #require(uploaded.json["id"] as? String)
        // The same Idempotency-Key and request: the same file, stored once; another name under that key is another request.
        let replayed = try await upload("d1", "监管台账.pdf", pdf, token: inspector, key: "evidence-1")
        #expect(replayed.status == 201 && replayed.headers["idempotent-replayed"] == "true")
        #expect(replayed.json["id"] as? String == fileId)
        let reused = try await upload("d1", "另一份.pdf", pdf, token: inspector, key: "evidence-1")
        #expect(reused.status == 422 && reused.json["field"] as? String == "Idempotency-Key")
        #expect(try await Self.count(database, "inspection_evidence") == 1)

        // Refused, each naming what is wrong, nothing written.
        let refusals: [(ServiceWorld.Response, Int, String)] = [
            (try await upload("d1", "a.pdf", SampleFiles.zip, token: inspector), 415, "body"),
            (try await upload("d1", "a.pdf", Data(), token: inspector), 415, "body"),
            (try await upload("d1", "监管台账.docx", pdf, token: inspector), 422, "fileName"),
            (try await upload("d1", "a/b.pdf", pdf, token: inspector), 400, "fileName"),
            (try await upload("d1", "big.pdf", pdf + Data(count: 4096), token: inspector), 413, "body"),
            (try await upload("x9", "a.pdf", pdf, token: inspector), 404, "itemId"),
            // The inspected unit sees its inspection but does not record it; another inspector of the group is not named.
            (try await upload("d1", "a.pdf", pdf, token: inspected), 403, "id"),
        ]
        for (response, status, field) in refusals {
            #expect(response.status == status, "\(response.text)")
            #expect(response.json["field"] as? String == field, "\(response.text)")
            #expect(response.headers["content-type"]?.hasPrefix("application/problem+json") == true)
            for problem in try openapi.problems("post", "/v1/inspections/{id}/items/{itemId}/evidence", response) {
                Issue.record(Comment(rawValue: problem))
            }
        }
        // A unit token that may not read the inspection learns nothing of it.
        #expect(try await upload("d1", "a.pdf", pdf, token: other).status == 404)
        #expect(try await world.request("inspection", "GET", "/v1/inspections/\(inspectionId)/evidence", token: other).status == 404)
        #expect(try await world.request("inspection", "GET", "/v1/inspections/\(inspectionId)/evidence/\(fileId)", token: other).status == 404)
        let ops = try world.token(Principal(subject: "ops-1", role: .ops))
        #expect(try await world.request("inspection", "GET", "/v1/inspections/\(inspectionId)/evidence", token: ops).status == 403)
        #expect(try await Self.count(database, "inspection_evidence") == 1)

        // The office attaches a photo to n1.
        let photo = try await upload("n1", "公示栏.png", SampleFiles.png, token: office)
        #expect(photo.status == 201, "\(photo.text)")
        let photoId = try #require(photo.json["id"] as? String)

        // The item lists its files; the readers list and download them.
        let shown = try await world.request("inspection", "GET", "/v1/inspections/\(inspectionId)", token: inspected)
        let items = try #require(shown.json["items"] as? [[String: Any]])
        #expect((items.first { $0["id"] as? String == "d1" }?["evidence"] as? [[String: Any]])?.map { $0["id"] as? String } == [fileId])
        #expect(items.first { $0["id"] as? String == "d2" }?["evidence"] == nil)
        for token in [inspected, convener, inspector, office] {
            let listed = try await world.request("inspection", "GET", "/v1/inspections/\(inspectionId)/evidence", token: token)
            #expect(listed.status == 200)
            #expect(listed.items.map { $0["id"] as? String } == [fileId, photoId])
            for problem in try openapi.problems("get", "/v1/inspections/{id}/evidence", listed) { Issue.record(Comment(rawValue: problem)) }
        }
        let download = try await world.request("inspection", "GET", "/v1/inspections/\(inspectionId)/evidence/\(fileId)", token: inspected)
        #expect(download.status == 200)
        #expect(download.body == pdf)
        #expect(download.headers["etag"] == "\"\(AttachmentUpload.sha256(pdf))\"" && download.headers["content-type"] == "application/pdf")
        #expect(download.headers["content-disposition"]?.hasPrefix("attachment;") == true)
        #expect(download.headers["content-disposition"]?.contains("filename*=UTF-8''%E7%9B%91") == true)
        #expect(download.headers["x-content-type-options"] == "nosniff")
        #expect(try await world.request("inspection", "GET", "/v1/inspections/\(inspectionId)/evidence/\(UUID())", token: office).status == 404)

        // Removal: not by the inspected unit; by the inspector, while open.
        let photoPath = "/v1/inspections/\(inspectionId)/evidence/\(photoId)"
        let notTheirs = try await world.request("inspection", "DELETE", photoPath, token: inspected)
        #expect(notTheirs.status == 403 && notTheirs.json["field"] as? String == "id")
        let removed = try await world.request("inspection", "DELETE", photoPath, token: inspector)
        #expect(removed.status == 200, "\(removed.text)")
        for problem in try openapi.problems("delete", "/v1/inspections/{id}/evidence/{evidenceId}", removed) {
            Issue.record(Comment(rawValue: problem))
        }
        #expect((removed.json["items"] as? [[String: Any]])?.first { $0["id"] as? String == "n1" }?["evidence"] == nil)
        #expect(try await world.request("inspection", "GET", photoPath, token: office).status == 404)
        let again = try await world.request("inspection", "DELETE", photoPath, token: inspector)
        #expect(again.status == 404 && again.json["field"] as? String == "evidenceId")
        #expect(try await Self.count(database, "inspection_evidence") == 1)

        // Submitted: the evidence is final.
        for item in items.compactMap({ $0["id"] as? String }) {
            let recorded = try await world.request(
                "inspection", "PUT", "/v1/inspections/\(inspectionId)/items/\(item)", token: inspector, json: ["outcome": "compliant"])
            #expect(recorded.status == 200, "\(recorded.text)")
        }
        let submitted = try await world.request("inspection", "POST", "/v1/inspections/\(inspectionId)/submit", token: inspector)
        #expect(submitted.status == 200, "\(submitted.text)")
        let late = try await upload("d2", "补充材料.pdf", pdf, token: inspector)
        #expect(late.status == 409 && late.json["field"] as? String == "id", "\(late.text)")
        let lateRemoval = try await world.request("inspection", "DELETE", "/v1/inspections/\(inspectionId)/evidence/\(fileId)", token: office)
        #expect(lateRemoval.status == 409 && lateRemoval.json["field"] as? String == "id", "\(lateRemoval.text)")
        #expect(try await Self.count(database, "inspection_evidence") == 1)

        // Published whole, with the files' descriptions and never their bytes; each act audited as its actor's.
        let payloads = try await database.query("""
            SELECT payload::text FROM outbox WHERE type = \(EventType.inspectionChecklistChanged) ORDER BY seq
            """).map { try $0.decode(0, as: String.self) }
        let states = try payloads.map { try #require((try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["inspection"] as? [String: Any]) }
        let evidenceCounts = states.prefix(3).map { state in
            (state["items"] as? [[String: Any]] ?? []).reduce(0) { $0 + (($1["evidence"] as? [Any])?.count ?? 0) }
        }
        #expect(evidenceCounts == [1, 2, 1])
        #expect(!payloads.contains { $0.contains("\"content\"") || $0.contains("%PDF") })
        let audited = try await database.query("""
            SELECT actor_subject FROM audit_log WHERE action = \(EventType.inspectionChecklistChanged) ORDER BY seq LIMIT 3
            """).map { try $0.decode(0, as: String.self) }
        #expect(audited == [inspectorId.uuidString.lowercased(), "office-1", inspectorId.uuidString.lowercased()])
    }

    static func count(_ database: PostgresPool, _ table: String) async throws -> Int {
        try await database.query("SELECT count(*)::int FROM \(unsafeRaw: table)")[0].decode(0, as: Int.self)
    }
}
