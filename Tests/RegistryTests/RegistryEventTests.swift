import Domain
import EventFlow
import Foundation
import Kafka
import Logging
import Testing

/// What the registry publishes, read back from the broker as another
/// service would: types, keys, payloads, and a rebuild from the beginning.
@Suite(.serialized) struct RegistryEventTests {
    static let prefix = "cn.gov.fangxian.shuangjian.registry."

    /// This registry's events (its own outbox ids), read from the three topics.
    func events(of registry: RegistryProcess, atLeast count: Int) async throws -> [KafkaMessage] {
        let events = try await registry.publishedEvents()
        #expect(events.count >= count)
        return events
    }

    @Test func eachEventHasTheRightTypeKeyAndPayload() async throws {
        let registry = try await RegistryProcess.start()
        defer { registry.kill() }
        let person = try await registry.request("POST", "/v1/people", as: .office, json: [
            "name": "周九", "unitId": "market-regulation-bureau", "channels": ["mobile": "13900000009"],
        ])
        let personId = try #require(person.json["id"] as? String)
        #expect(try await registry.request("PUT", "/v1/units/market-regulation-bureau/liaison", as: .office, json: ["personId": personId]).status == 200)

        let messages = try await events(of: registry, atLeast: 26 + 3)
        func type(_ message: KafkaMessage) -> String { message.header("ce_type").flatMap(\.value).map { String(decoding: $0, as: UTF8.self) } ?? "" }
        func key(_ message: KafkaMessage) -> String { message.key.map { String(decoding: $0, as: UTF8.self) } ?? "" }

        let admitted = messages.filter { type($0) == Self.prefix + "unit.admitted.v1" }
        #expect(admitted.count == 26)
        #expect(admitted.allSatisfy { $0.topic == Topic.registryUnits })
        #expect(Set(admitted.map(key)).contains("fire-rescue-brigade"))

        let created = try #require(messages.first { type($0) == Self.prefix + "person.created.v1" })
        #expect(created.topic == Topic.registryPeople && key(created) == personId.lowercased())
        let createdPayload = try JSONSerialization.jsonObject(with: Data(created.value ?? [])) as? [String: Any]
        #expect((createdPayload?["person"] as? [String: Any])?["name"] as? String == "周九")

        let liaison = try #require(messages.first { type($0) == Self.prefix + "liaison.changed.v1" })
        #expect(liaison.topic == Topic.registryUnits && key(liaison) == "market-regulation-bureau")
        let payload = try JSONSerialization.jsonObject(with: Data(liaison.value ?? [])) as? [String: Any]
        #expect(((payload?["unit"] as? [String: Any])?["liaisonId"] as? String)?.lowercased() == personId.lowercased())
        #expect((payload?["liaison"] as? [String: Any])?["name"] as? String == "周九")
        #expect(messages.contains { type($0) == Self.prefix + "person.changed.v1" && key($0) == personId.lowercased() })
        #expect(messages.allSatisfy { $0.header("ce_source").flatMap(\.value).map { String(decoding: $0, as: UTF8.self) } == "/shuangjian/registry" })
        await registry.stop()
    }

    @Test func aNewConsumerRebuildsWhatTheAPIShows() async throws {
        let registry = try await RegistryProcess.start()
        defer { registry.kill() }
        for name in ["吴一", "郑二"] {
            let person = try await registry.request("POST", "/v1/people", as: .office, json: ["name": name, "unitId": "finance-bureau"])
            #expect(person.status == 201)
        }
        let first = try await registry.request("GET", "/v1/people", as: .office).items[0]["id"] as! String
        #expect(try await registry.request("PUT", "/v1/units/finance-bureau/member", as: .office, json: ["personId": first]).status == 200)
        #expect(try await registry.request("PUT", "/v1/units/finance-bureau/contact", as: .office, json: ["phone": "0719-3200000"]).status == 200)
        let code = try #require(CreditCodeSample.valid(body: "52420325MJ0000000"))
        let institution = try await registry.request("POST", "/v1/institutions", as: .office, json: [
            "creditCode": code, "name": "房县科创少年学堂", "category": "science-technology", "nonProfit": true,
            "address": "房县军店镇", "approvalStatus": "pending",
        ])
        #expect(institution.status == 201, "\(institution.text)")
        let institutionId = try #require(institution.json["id"] as? String)
        #expect(try await registry.request("POST", "/v1/institutions/\(institutionId)/status", as: .office,
                                           json: ["status": "approved", "reason": "审批通过"]).status == 200)

        // Rebuild: the last state of each aggregate, by key.
        var units: [String: [String: Any]] = [:]
        var people: [String: [String: Any]] = [:]
        var institutions: [String: [String: Any]] = [:]
        for message in try await events(of: registry, atLeast: 26 + 7) {
            guard let value = message.value, let data = try JSONSerialization.jsonObject(with: Data(value)) as? [String: Any] else { continue }
            if let unit = data["unit"] as? [String: Any], let id = unit["id"] as? String { units[id] = unit }
            if let person = data["person"] as? [String: Any], let id = person["id"] as? String { people[id] = person }
            if let item = data["institution"] as? [String: Any], let id = item["id"] as? String { institutions[id] = item }
        }
        func normalized(_ items: [[String: Any]]) -> [String: NSDictionary] {
            Dictionary(uniqueKeysWithValues: items.map { (($0["id"] as? String ?? "").lowercased(), $0 as NSDictionary) })
        }
        let apiUnits = try await registry.request("GET", "/v1/units", as: .countySystem).items
        let apiPeople = try await registry.request("GET", "/v1/people", as: .countySystem).items
        let apiInstitutions = try await registry.request("GET", "/v1/institutions", as: .countySystem).items
        #expect(normalized(Array(units.values)) == normalized(apiUnits))
        #expect(normalized(Array(people.values)) == normalized(apiPeople))
        #expect(normalized(Array(institutions.values)) == normalized(apiInstitutions))
        #expect(units.count == 26 && people.count == 2 && institutions.count == 1)
        await registry.stop()
    }
}
