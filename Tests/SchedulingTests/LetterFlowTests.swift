import Foundation
import Postgres
import ServiceKit
import Testing

/// Registry → scheduling → Kafka → notification → the liaison's inbox, and
/// the liaison's 签收 back to the scheduling service, as separate processes
/// on a private broker.
@Suite(.serialized) struct LetterFlowTests {
    static let office = Principal(subject: "office-1", role: .office)

    @Test func anIssuedLetterReachesTheLiaisonWhoseAcknowledgementIsTheUnitsReceipt() async throws {
        let world = try await ServiceWorld.start()
        defer { world.stop() }
        try await world.launch("registry")
        try await world.launch("notification")
        try await world.launch("scheduling")
        let office = try world.token(Self.office)

        // The unit's liaison, known to the notification service once it tells them so.
        let person = try await world.request("registry", "POST", "/v1/people", token: office,
                                             json: ["name": "陈静", "unitId": "civil-affairs-bureau", "title": "社会组织管理股股长"])
        let liaison = try #require(person.json["id"] as? String)
        #expect(try await world.request("registry", "PUT", "/v1/units/civil-affairs-bureau/liaison", token: office,
                                        json: ["personId": liaison]).status == 200)
        let liaisonToken = try world.token(Principal(subject: liaison, role: .unit, unitId: "civil-affairs-bureau"))
        try await waitUntil("the liaison hears of the appointment", timeout: .seconds(60)) {
            try await world.request("notification", "GET", "/v1/inbox", token: liaisonToken).items
                .contains { ($0["eventType"] as? String)?.hasSuffix("liaison.changed.v1") == true }
        }
        // The scheduling service's directory learned the 26 units from the registry.
        let directory = world.pool("scheduling")
        defer { Task { await directory.close() } }
        try await waitUntil("the scheduling directory knows the units", timeout: .seconds(60)) {
            try await directory.query("SELECT count(*)::int FROM directory.units")[0].decode(0, as: Int.self) == 26
        }

        let subject = "民办非营利性校外培训机构登记工作进度滞后"
        let created = try await world.request("scheduling", "POST", "/v1/letters", token: office, json: [
            "kind": "supervision", "subject": subject,
            "body": "请你单位按照职责分工加快推进，并按规定期限将相关办理情况报协调机制办公室。",
            "cause": ["kind": "duty", "reference": "civil-affairs-bureau/1", "text": "非营利性校外培训机构登记"],
            "unitIds": ["civil-affairs-bureau"],
        ])
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(created.json["id"] as? String)
        let issued = try await world.request("scheduling", "POST", "/v1/letters/\(id)/issue", token: office)
        let number = try #require(issued.json["number"] as? String)

        var item: [String: Any] = [:]
        try await waitUntil("the letter reaches the liaison's inbox", timeout: .seconds(60)) {
            let inbox = try await world.request("notification", "GET", "/v1/inbox", token: liaisonToken)
            item = inbox.items.first { ($0["eventType"] as? String)?.hasSuffix("letter.issued.v1") == true } ?? [:]
            return !item.isEmpty
        }
        #expect(item["title"] as? String == "督办函（\(number)）：\(subject)")
        #expect((item["body"] as? String)?.hasPrefix(
            "协调机制办公室已向县民政局发出督办函（\(number)），事项：\(subject)。请县民政局及时签收，并于") == true, "\(item)")
        #expect(item["class"] as? String == "letter")

        let notification = try #require(item["id"] as? String)
        #expect(try await world.request("notification", "POST", "/v1/inbox/\(notification)/acknowledge", token: liaisonToken).status == 200)
        try await waitUntil("the scheduling service learns the 签收", timeout: .seconds(60)) {
            let letter = try await world.request("scheduling", "GET", "/v1/letters/\(id)", token: liaisonToken)
            let track = (letter.json["addressees"] as? [[String: Any]])?.first
            let receipt = track?["received"] as? [String: Any]
            return track?["status"] as? String == "received" && receipt?["via"] as? String == "notification"
                && receipt?["by"] as? String == liaison
        }
    }
}
