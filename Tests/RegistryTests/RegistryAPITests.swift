import Foundation
import Testing

/// The registry's HTTP API end to end, against the real process.
@Suite(.serialized) struct RegistryAPITests {
    @Test func seededUnitsAndTheDutyMatrix() async throws {
        let registry = try await RegistryProcess.start()
        defer { registry.kill() }
        let units = try await registry.request("GET", "/v1/units", as: .countySystem)
        #expect(units.status == 200)
        #expect(units.items.count == 26)
        let fire = try #require(units.items.first { $0["id"] as? String == "fire-rescue-brigade" })
        #expect(fire["name"] as? String == "县消防救援大队")
        #expect((fire["aliases"] as? [String])?.contains("县消防教援大队") == true)

        let matrix = try await registry.request("GET", "/v1/duty-matrix?topic=fire-safety", as: .unit("education-bureau"))
        let ids = Set(((matrix.json["units"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String })
        #expect(ids == ["emergency-management-bureau", "housing-construction-bureau", "public-security-bureau",
                        "civil-air-defense-office", "fire-rescue-brigade"])
        // One spelling of identifiers: `personID` is not `personId`, and nothing is written.
        let misspelt = try await registry.request(
            "PUT", "/v1/units/education-bureau/liaison", as: .office, json: ["personID": UUID().uuidString])
        #expect(misspelt.status == 400 && misspelt.json["field"] as? String == "personId")
        let unknownTopic = try await registry.request("GET", "/v1/duty-matrix?topic=weather", as: .office)
        #expect(unknownTopic.status == 400 && unknownTopic.json["field"] as? String == "topic")

        // Leads first, then the partners: 县妇联:"负责会同教育部门办好家长学校".
        let family = try await registry.request("GET", "/v1/duty-matrix?topic=family-education", as: .office)
        let answer = (family.json["units"] as? [[String: Any]]) ?? []
        #expect(answer.compactMap { $0["id"] as? String } == ["womens-federation", "education-bureau"])
        #expect(answer.compactMap { $0["role"] as? String } == ["lead", "assisting"])
        let derived = ((answer.last?["duties"] as? [[String: Any]]) ?? []).first
        #expect(derived?["sourceDutyId"] as? String == "womens-federation/1")
        #expect(derived?["partnerUnitIds"] as? [String] == ["womens-federation"])
        // In the notice's order within the leads: 县教育局 leads after-school service.
        let afterSchool = try await registry.request("GET", "/v1/duty-matrix?topic=after-school-service", as: .office)
        #expect(((afterSchool.json["units"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String } == [
            "education-bureau", "development-reform-bureau", "finance-bureau", "human-resources-bureau",
            "culture-tourism-bureau", "youth-league-committee", "science-association",
        ])
        #expect(units.items.compactMap { $0["id"] as? String }.prefix(3) == ["organization-department", "publicity-department", "political-legal-committee"])

        let duties = try await registry.request("GET", "/v1/units/development-reform-bureau/duties", as: .convener)
        #expect(duties.items.contains { ($0["topics"] as? [String])?.contains("fees") == true })
        let positions = try await registry.request("GET", "/v1/positions", as: .office)
        #expect(Set(positions.items.compactMap { $0["id"] as? String }) == ["convener-county-government", "convener-education-bureau", "office"])
        #expect(try await registry.request("GET", "/v1/units/no-such-unit", as: .office).status == 404)
        await registry.stop()
    }

    @Test func authorization() async throws {
        let registry = try await RegistryProcess.start()
        defer { registry.kill() }
        let noToken = try await registry.request("GET", "/v1/units", as: nil)
        #expect(noToken.status == 401)
        #expect(noToken.headers["content-type"]?.hasPrefix("application/problem+json") == true)
        #expect(noToken.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
        #expect(try await registry.request("GET", "/v1/units", as: .ops).status == 403)
        #expect(try await registry.request("GET", "/v1/units", as: .countySystem).status == 200)

        let contact: [String: Any] = ["phone": "0719-3222222", "email": "jyj@fangxian.gov.cn", "address": "房县城关镇"]
        #expect(try await registry.request("PUT", "/v1/units/education-bureau/contact", as: .countySystem, json: contact).status == 403)
        #expect(try await registry.request("PUT", "/v1/units/finance-bureau/contact", as: .unit("education-bureau"), json: contact).status == 403)
        let own = try await registry.request("PUT", "/v1/units/education-bureau/contact", as: .unit("education-bureau"), json: contact)
        #expect(own.status == 200)
        #expect((own.json["contact"] as? [String: Any])?["email"] as? String == "jyj@fangxian.gov.cn")

        let person = try await registry.request("POST", "/v1/people", as: .office, json: [
            "name": "张三", "unitId": "education-bureau", "title": "基础教育股股长", "roles": ["office"],
            "channels": ["mobile": "13800000001"],
        ])
        #expect(person.status == 201)
        let personId = try #require(person.json["id"] as? String)
        #expect(try await registry.request("POST", "/v1/people", as: .unit("education-bureau"), json: ["name": "李四", "unitId": "education-bureau"]).status == 403)
        let channels = try await registry.request("PATCH", "/v1/people/\(personId)", as: .unit("education-bureau"),
                                                  json: ["channels": ["mobile": "13800000002", "email": "zs@fangxian.gov.cn"]])
        #expect(channels.status == 200)
        #expect(try await registry.request("PATCH", "/v1/people/\(personId)", as: .unit("education-bureau"), json: ["name": "王五"]).status == 403)
        #expect(try await registry.request("PATCH", "/v1/people/\(personId)", as: .unit("finance-bureau"),
                                           json: ["channels": ["mobile": "13800000003"]]).status == 403)
        #expect(try await registry.request("PUT", "/v1/units/education-bureau/liaison", as: .unit("education-bureau"),
                                           json: ["personId": personId]).status == 403)
        await registry.stop()
    }

    @Test func badInputIsRefusedNamingTheFieldAndWritesNothing() async throws {
        let registry = try await RegistryProcess.start()
        defer { registry.kill() }
        let outboxBefore = try await registry.count("outbox")
        let code = try #require(CreditCodeSample.valid(body: "91420325MA4F0WXY0"))
        let good: [String: Any] = [
            "creditCode": code, "name": "房县启航艺术培训学校", "category": "sports-arts", "nonProfit": false,
            "address": "房县城关镇人民路1号", "licenceNumber": "教民142032570000001", "approvalStatus": "approved",
        ]
        func with(_ change: [String: Any?]) -> [String: Any] {
            var body = good
            for (key, value) in change { body[key] = value }
            return body
        }
        let cases: [([String: Any], String, Int)] = [
            (with(["creditCode": "91420325MA4F0XYZ0X"]), "creditCode", 422),
            (with(["creditCode": "123"]), "creditCode", 422),
            (with(["name": "  "]), "name", 422),
            (with(["category": "cooking"]), "category", 400),
            (with(["nonProfit": "no"]), "nonProfit", 400),
            (with(["address": nil]), "address", 400),
            (with(["approvalStatus": "revoked"]), "approvalStatus", 422),
            (with(["licenceNumber": nil]), "licenceNumber", 422),
            (with(["whitelisted": true, "blacklisted": true]), "whitelisted", 422),
        ]
        for (body, field, status) in cases {
            let response = try await registry.request("POST", "/v1/institutions", as: .office, json: body)
            #expect(response.status == status, "\(field): \(response.text)")
            #expect(response.headers["content-type"]?.hasPrefix("application/problem+json") == true)
            let named = (response.json["field"] as? String == field)
                || ((response.json["errors"] as? [[String: Any]]) ?? []).contains { $0["field"] as? String == field }
            #expect(named, "the problem names \(field): \(response.text)")
        }
        let notJSON = try await registry.request("POST", "/v1/institutions", as: .office, raw: "{not json")
        #expect(notJSON.status == 400)
        let badMobile = try await registry.request("POST", "/v1/people", as: .office, json: [
            "name": "赵六", "unitId": "finance-bureau", "channels": ["mobile": "12345", "email": "nope"],
        ])
        #expect(badMobile.status == 422)
        let fields = ((badMobile.json["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String }
        #expect(fields.contains("channels.mobile") && fields.contains("channels.email"))
        let unknownUnit = try await registry.request("POST", "/v1/people", as: .office, json: ["name": "赵六", "unitId": "no-such-unit"])
        #expect(unknownUnit.status == 422)
        let memberRole = try await registry.request("POST", "/v1/people", as: .office, json: ["name": "赵六", "unitId": "finance-bureau", "roles": ["liaison"]])
        #expect(memberRole.status == 422)
        #expect(try await registry.count("institutions") == 0)
        #expect(try await registry.count("people") == 0)
        #expect(try await registry.count("outbox") == outboxBefore)

        let created = try await registry.request("POST", "/v1/institutions", as: .office, json: good)
        #expect(created.status == 201, "\(created.text)")
        let duplicate = try await registry.request("POST", "/v1/institutions", as: .office, json: with(["name": "另一个名字"]))
        #expect(duplicate.status == 409)
        #expect(duplicate.json["field"] as? String == "creditCode")
        #expect(try await registry.count("institutions") == 1)
        await registry.stop()
    }

    @Test func idempotencyKey() async throws {
        let registry = try await RegistryProcess.start()
        defer { registry.kill() }
        let body: [String: Any] = ["name": "钱七", "unitId": "civil-affairs-bureau", "title": "股长"]
        let key = ["Idempotency-Key": "k-\(UUID().uuidString)"]
        let first = try await registry.request("POST", "/v1/people", as: .office, json: body, headers: key)
        let second = try await registry.request("POST", "/v1/people", as: .office, json: body, headers: key)
        #expect(first.status == 201 && second.status == 201, "\(second.text)")
        #expect(first.json["id"] as? String == second.json["id"] as? String)
        #expect(second.headers["idempotent-replayed"] == "true")
        #expect(try await registry.count("people") == 1)
        let other = try await registry.request("POST", "/v1/people", as: .office, json: ["name": "孙八", "unitId": "civil-affairs-bureau"], headers: key)
        #expect(other.status == 422)
        #expect(try await registry.count("people") == 1)
        await registry.stop()
    }

    /// Two proposals may name the same new unit id (found by Schemathesis as
    /// a 500): the first approved takes it, the second is a 409 and admits nothing.
    @Test func aSecondProposalForAnAdmittedIdIsAConflict() async throws {
        let registry = try await RegistryProcess.start()
        defer { registry.kill() }
        var ids: [String] = []
        for name in ["县税务局", "县税务服务中心"] {
            let proposal = try await registry.request("POST", "/v1/membership-proposals", as: .office, json: [
                "unitName": name, "proposedUnitId": "tax-bureau", "duties": [["text": "负责税收征管。", "topics": ["fees"]]], "reason": "需要",
            ])
            #expect(proposal.status == 201, "\(proposal.text)")
            let id = try #require(proposal.json["id"] as? String)
            let study = try await registry.request("POST", "/v1/membership-proposals/\(id)/study", as: .office,
                                                   json: ["meetingReference": "第1次全体会议", "recommended": true])
            #expect(study.status == 200, "\(study.text)")
            ids.append(id)
        }
        let approve: [String: Any] = ["approved": true, "approvalDocument": "房政函〔2026〕1号"]
        let first = try await registry.request("POST", "/v1/membership-proposals/\(ids[0])/decision", as: .office, json: approve)
        #expect(first.status == 200, "\(first.text)")
        let units = try await registry.count("units")
        let second = try await registry.request("POST", "/v1/membership-proposals/\(ids[1])/decision", as: .office, json: approve)
        #expect(second.status == 409, "\(second.status) \(second.text)")
        #expect(second.json["detail"] as? String == "a member unit with id tax-bureau was admitted meanwhile")
        #expect(try await registry.count("units") == units)
        let still = try await registry.request("GET", "/v1/membership-proposals/\(ids[1])", as: .office)
        #expect(still.json["status"] as? String == "studied")
    }

    @Test func membershipProposalToAdmission() async throws {
        let registry = try await RegistryProcess.start()
        defer { registry.kill() }
        let proposal = try await registry.request("POST", "/v1/membership-proposals", as: .office, json: [
            "unitName": "县体育中心", "proposedUnitId": "sports-centre", "reason": "课后服务需要体育场地",
            "duties": [["text": "利用体育场馆配合教育部门做好课后服务", "topics": ["after-school-service"]]],
        ])
        #expect(proposal.status == 201, "\(proposal.text)")
        let id = try #require(proposal.json["id"] as? String)
        let early = try await registry.request("POST", "/v1/membership-proposals/\(id)/decision", as: .office,
                                               json: ["approved": true, "approvalDocument": "房政函〔2026〕1号"])
        #expect(early.status == 409, "a decision before the study is refused")
        let study = try await registry.request("POST", "/v1/membership-proposals/\(id)/study", as: .office,
                                               json: ["meetingReference": "2026年第二次全体会议纪要", "recommended": true])
        #expect(study.status == 200 && study.json["status"] as? String == "studied")
        let noDocument = try await registry.request("POST", "/v1/membership-proposals/\(id)/decision", as: .office, json: ["approved": true])
        #expect(noDocument.status == 422 && noDocument.text.contains("approvalDocument"))
        let decided = try await registry.request("POST", "/v1/membership-proposals/\(id)/decision", as: .office,
                                                 json: ["approved": true, "approvalDocument": "房政函〔2026〕1号"])
        #expect(decided.status == 200 && decided.json["status"] as? String == "approved")
        #expect(decided.json["admittedUnitId"] as? String == "sports-centre")
        let unit = try await registry.request("GET", "/v1/units/sports-centre", as: .office)
        #expect(unit.status == 200 && unit.json["name"] as? String == "县体育中心")
        #expect((unit.json["admission"] as? [String: Any])?["reference"] as? String == "房政函〔2026〕1号")
        let matrix = try await registry.request("GET", "/v1/duty-matrix?topic=after-school-service", as: .office)
        #expect(((matrix.json["units"] as? [[String: Any]]) ?? []).contains { $0["id"] as? String == "sports-centre" })

        let rejected = try await registry.request("POST", "/v1/membership-proposals", as: .office, json: [
            "unitName": "县教育局", "proposedUnitId": "education-bureau-2", "reason": "x",
            "duties": [["text": "x", "topics": ["coordination"]]],
        ])
        #expect(rejected.status == 409, "an existing unit's name cannot be proposed")
        await registry.stop()
    }
}
