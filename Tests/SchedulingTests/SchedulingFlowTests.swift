import Crypto
import Domain
import Foundation
import Postgres
import ServiceKit
import Testing
import TestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The registry and the scheduling service as processes on a private broker:
/// the registry's 26 seeded units reach scheduling's directory through
/// Kafka, each gets its 工作方案 task, and a task goes through its life over
/// HTTP with the tokens of the office, the lead unit and others.
@Suite(.serialized, .enabled(if: SchedulingDatabase.isConfigured, "needs scripts/test.sh"))
struct SchedulingFlowTests {
    @Test func seededUnitsGetTheirWorkPlanAndATaskGoesThroughItsLife() async throws {
        let world = try await ServiceWorld.start()
        defer { world.stop() }
        try await world.launch("registry")
        try await world.launch("scheduling")
        let office = try world.token(Principal(subject: "office-1", role: .office))
        let finance = try world.token(Principal(subject: "liaison-finance", role: .unit, unitId: "finance-bureau"))
        let education = try world.token(Principal(subject: "liaison-education", role: .unit, unitId: "education-bureau"))
        let other = try world.token(Principal(subject: "liaison-science", role: .unit, unitId: "science-association"))
        let convener = try world.token(Principal(subject: "convener-1", role: .convener))

        // The 26 units of the notice arrive as unit.admitted: 26 work-plan tasks.
        try await waitUntil("26 work-plan tasks", timeout: .seconds(120)) {
            try await world.request("scheduling", "GET", "/v1/tasks?origin=work-plan", token: office).items.count == 26
        }
        let own = try await world.request("scheduling", "GET", "/v1/tasks", token: finance)
        #expect(own.status == 200)
        #expect(own.items.map { $0["leadUnitId"] as? String } == ["finance-bureau"])
        #expect(own.items.first?["title"] as? String == "制定本单位工作方案")

        // The office assigns a task; bad input names the field and writes nothing.
        let bad = try await world.request("scheduling", "POST", "/v1/tasks", token: office, json: [
            "title": "落实课后服务经费保障", "leadUnitId": "no-such-unit", "dueInWorkingDays": 5,
        ])
        #expect(bad.status == 422)
        #expect((bad.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "leadUnitId")
        #expect(try await world.request("scheduling", "POST", "/v1/tasks", token: finance, json: ["title": "x"]).status == 403)
        let created = try await world.request("scheduling", "POST", "/v1/tasks", token: office, json: [
            "title": "落实课后服务经费保障", "detail": "统筹安排课后服务经费。", "leadUnitId": "finance-bureau",
            "assistingUnitIds": ["education-bureau"], "dueInWorkingDays": 10,
        ])
        #expect(created.status == 201)
        let id = try #require(created.json["id"] as? String)
        #expect(created.json["status"] as? String == "assigned")

        // Who sees it: the office, conveners, the lead and assisting units; not another unit.
        #expect(try await world.request("scheduling", "GET", "/v1/tasks/\(id)", token: convener).status == 200)
        #expect(try await world.request("scheduling", "GET", "/v1/tasks/\(id)", token: education).status == 200)
        #expect(try await world.request("scheduling", "GET", "/v1/tasks/\(id)", token: other).status == 403)
        #expect(try await world.request("scheduling", "GET", "/v1/tasks?unit=finance-bureau", token: other).status == 403)

        // Only the lead unit accepts; twice is a conflict.
        #expect(try await world.request("scheduling", "POST", "/v1/tasks/\(id)/accept", token: education).status == 403)
        let accepted = try await world.request("scheduling", "POST", "/v1/tasks/\(id)/accept", token: finance)
        #expect(accepted.status == 200 && accepted.json["status"] as? String == "accepted")
        #expect(try await world.request("scheduling", "POST", "/v1/tasks/\(id)/accept", token: finance).status == 409)

        // A PDF by its content; a script named .pdf is refused.
        let pdf = Data("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n".utf8)
        let refused = try await upload(world, id, "经费测算.pdf", Data("#!/bin/sh\n".utf8), token: finance)
        #expect(refused.status == 415)
        let misnamed = try await upload(world, id, "经费测算.docx", pdf, token: finance)
        #expect(misnamed.status == 422 && misnamed.json["field"] as? String == "fileName")
        let uploaded = try await upload(world, id, "经费测算.pdf", pdf, token: finance)
        #expect(uploaded.status == 201)
        let attachmentId = try #require(uploaded.json["id"] as? String)
        #expect(uploaded.json["sha256"] as? String == SHA256.hash(data: pdf).map { String(format: "%02x", $0) }.joined())

        // An assisting unit reports progress; only the lead reports completion.
        let progress = try await world.request("scheduling", "POST", "/v1/tasks/\(id)/reports", token: education, json: [
            "kind": "progress", "text": "已配合测算课后服务经费需求。",
        ])
        #expect(progress.status == 201)
        #expect(try await world.request("scheduling", "POST", "/v1/tasks/\(id)/reports", token: education, json: [
            "kind": "completion", "text": "已完成。",
        ]).status == 403)
        let completion = try await world.request("scheduling", "POST", "/v1/tasks/\(id)/reports", token: finance, json: [
            "kind": "completion", "text": "经费已纳入年度预算。", "attachmentIds": [attachmentId],
        ])
        #expect(completion.status == 201)
        #expect((completion.json["attachments"] as? [[String: Any]])?.first?["fileName"] as? String == "经费测算.pdf")
        let file = try await download(world, id, attachmentId, token: convener)
        #expect(file.0 == 200 && file.1 == pdf)

        // The office returns it with a reason and a new due date, then accepts the second report.
        let returned = try await world.request("scheduling", "POST", "/v1/tasks/\(id)/return", token: office, json: [
            "reason": "请补充经费来源说明。", "dueInWorkingDays": 3,
        ])
        #expect(returned.status == 200 && returned.json["status"] as? String == "returned")
        #expect((returned.json["returns"] as? [[String: Any]])?.first?["reason"] as? String == "请补充经费来源说明。")
        #expect(try await world.request("scheduling", "POST", "/v1/tasks/\(id)/reports", token: finance, json: [
            "kind": "completion", "text": "已补充经费来源说明。",
        ]).status == 201)
        let completed = try await world.request("scheduling", "POST", "/v1/tasks/\(id)/complete", token: office)
        #expect(completed.status == 200 && completed.json["status"] as? String == "completed")
        let reports = try await world.request("scheduling", "GET", "/v1/tasks/\(id)/reports", token: finance)
        #expect(reports.items.map { $0["kind"] as? String } == ["progress", "completion", "completion"])

        // Every act is on shuangjian.scheduling.tasks, in the outbox in order.
        let pool = world.pool("scheduling")
        let types = try await pool.query("""
            SELECT type FROM outbox WHERE aggregateid = \(id.lowercased()) ORDER BY seq
            """).map { try $0.decode(0, as: String.self) }
        await pool.close()
        #expect(types == [
            EventType.taskAssigned, EventType.taskAccepted, EventType.taskProgressReported, EventType.taskCompletionReported,
            EventType.taskReturned, EventType.taskCompletionReported, EventType.taskCompleted,
        ])
    }

    private func upload(_ world: ServiceWorld, _ task: String, _ name: String, _ data: Data, token: String) async throws -> ContractResponse {
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(world.ports["scheduling"]!)/v1/tasks/\(task)/attachments?fileName=\(encoded)")!)
        request.httpMethod = "POST"
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type")
        request.httpBody = data
        let (body, response) = try await URLSession.shared.data(for: request)
        return ContractResponse(status: (response as? HTTPURLResponse)?.statusCode ?? 0, headers: [:], body: body)
    }

    private func download(_ world: ServiceWorld, _ task: String, _ attachment: String, token: String) async throws -> (Int, Data) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(world.ports["scheduling"]!)/v1/tasks/\(task)/attachments/\(attachment)")!)
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (body, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, body)
    }
}
