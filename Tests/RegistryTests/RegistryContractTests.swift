import Domain
import EventFlow
import Foundation
import Kafka
import ServiceKit
import Testing
import Yams

@testable import Registry

/// Keeps docs/openapi/registry.yaml and docs/asyncapi.yaml true (DESIGN.md
/// §3 and §5): against the source (routes, roles, idempotent creates, query
/// parameters, enums, event types and topics), and against a live registry
/// (every response it gave and every event it published matches the schemas).
@Suite(.serialized) struct RegistryContractTests {
    static let eventPrefix = "cn.gov.fangxian.shuangjian.registry."

    // MARK: - The documents themselves

    @Test func bothDocumentsParseDeclareTheirVersionsAndEveryRefResolves() throws {
        let documents = ContractDocuments()
        let openapi = try ContractOpenAPI(documents: documents)
        let asyncapi = try ContractAsyncAPI(documents: documents)
        #expect((openapi.root["openapi"] as? String)?.hasPrefix("3.1") == true, "openapi: \(openapi.root["openapi"] ?? "none")")
        #expect(asyncapi.root["asyncapi"] as? String == "3.0.0", "asyncapi: \(asyncapi.root["asyncapi"] ?? "none")")

        for url in [openapi.url, asyncapi.url] {
            let (refs, unresolved) = try documents.references(in: url)
            #expect(!refs.isEmpty)
            for problem in unresolved { Issue.record(Comment(rawValue: problem)) }
        }
    }

    /// Identifiers are spelled `unitId`, never `unitID` (docs/architecture.md).
    @Test func everyIdentifierIsSpelledId() throws {
        let documents = ContractDocuments()
        for url in [try ContractOpenAPI(documents: documents).url, try ContractAsyncAPI(documents: documents).url] {
            #expect(try documents.misspelledIdentifiers(in: url) == [], "spell them ...Id in \(url.lastPathComponent)")
        }
        // The check itself catches the other spelling.
        let sample = FileManager.default.temporaryDirectory.appendingPathComponent("ids-\(UUID().uuidString).yaml")
        try Data("""
            components: {schemas: {A: {type: object, required: [unitID], properties: {unitID: {type: string}, unitId: {type: string}}}}}
            parameters: [{name: personIDs, in: query}]
            """.utf8).write(to: sample)
        defer { try? FileManager.default.removeItem(at: sample) }
        #expect(try ContractDocuments().misspelledIdentifiers(in: sample).count == 3)
    }

    /// The checker must catch what it claims to, or every test below passes vacuously.
    @Test func theSchemaCheckerCatchesWhatItShould() throws {
        let documents = ContractDocuments()
        let openapi = try ContractOpenAPI(documents: documents)
        let person = "#/components/schemas/Person"
        let good: [String: Any] = [
            "id": UUID().uuidString, "name": "张三", "roles": ["office"], "channels": [:], "version": 1,
            "updatedAt": "2026-03-02T08:15:00Z",
        ]
        func problems(_ value: [String: Any]) throws -> [String] {
            documents.check(try ContractJSON.from(value), against: ["$ref": person], in: openapi.url)
        }
        #expect(try problems(good).isEmpty)
        var extra = good
        extra["nickname"] = "小张"
        #expect(try problems(extra).contains { $0.contains("nickname is not in the contract") })
        var missing = good
        missing["roles"] = nil
        #expect(try problems(missing).contains { $0.contains("required property roles") })
        var badEnum = good
        badEnum["roles"] = ["chief"]
        #expect(try problems(badEnum).contains { $0.contains("enum") })
        var badType = good
        badType["version"] = true
        #expect(try problems(badType).contains { $0.contains("not of type integer") })
        var badDate = good
        badDate["updatedAt"] = "yesterday"
        #expect(try problems(badDate).contains { $0.contains("date-time") })
        var nested = good
        nested["channels"] = ["fax": "0719-1"]
        #expect(try problems(nested).contains { $0.contains("fax is not in the contract") })
        // Nullable forms the checker understands.
        let nullable: [String: Any] = ["type": ["string", "null"]]
        #expect(documents.check(.null, against: nullable, in: openapi.url).isEmpty)
        #expect(documents.check(.null, against: ["oneOf": [["type": "null"], ["type": "string"]]], in: openapi.url).isEmpty)
        #expect(!documents.check(.number(1), against: nullable, in: openapi.url).isEmpty)
        #expect(try ContractJSON.parse(Data("[true, 1]".utf8)) == .array([.bool(true), .number(1)]))
    }

    // MARK: - OpenAPI against the source

    /// The registry's routes, the ServiceKit ones every service has, and what the code reads.
    static let api = ContractServiceAPI(
        apiFolder: "Services/Registry/API",
        // The institution search reads its parameters through `parse("x")`.
        queryPatterns: [ContractSource.queryGet, #"\bparse\("([A-Za-z]+)""#])

    @Test func routesRolesIdempotencyAndParametersMatchTheSource() throws {
        let openapi = try ContractOpenAPI(documents: ContractDocuments())
        let routes = try Self.api.routes()
        #expect(routes.count >= 21, "found only \(routes.count) routes in the source")
        for problem in try Self.api.problems(against: openapi) { Issue.record(Comment(rawValue: problem)) }
        #expect(try ContractSource.queryParameters(in: "Services/Registry/API/InstitutionRoutes.swift", patterns: Self.api.queryPatterns)
            == ["q", "category", "status", "whitelisted", "blacklisted", "page", "pageSize"])
        #expect(Set(try openapi.parameters("get", "/v1/audit").compactMap { $0["name"] as? String })
            == ["aggregate", "actor", "action", "from", "to", "page", "pageSize"])
    }

    @Test func documentedEnumsAreTheModelsCases() throws {
        let openapi = try ContractOpenAPI(documents: ContractDocuments())
        #expect(openapi.enumeration("DutyTopic") == DutyTopic.allCases.map(\.rawValue))
        #expect(openapi.enumeration("DutyRole") == DutyRole.allCases.map(\.rawValue))
        #expect(Set(openapi.enumeration("PersonRole") ?? []) == Set(PersonRole.allCases.map(\.rawValue)))
        #expect(Set(openapi.enumeration("InstitutionCategory") ?? []) == Set(InstitutionCategory.allCases.map(\.rawValue)))
        #expect(Set(openapi.enumeration("InstitutionStatus") ?? []) == Set(InstitutionStatus.allCases.map(\.rawValue)))
        let statuses = openapi.enumeration("ProposalStatus") ?? []
        #expect(statuses.count == 4 && statuses.allSatisfy { ProposalStatus(rawValue: $0) != nil })
    }

    /// The rules the document states are the ones the code checks: each
    /// pattern is the code's own constant, and the e-mail rule the code
    /// spells out step by step agrees with the documented pattern.
    @Test func documentedPatternsAreTheServicesOwn() throws {
        let openapi = try ContractOpenAPI(documents: ContractDocuments())
        let patterns = try #require(openapi.root["x-patterns"] as? [String: String])
        #expect(patterns["nonBlank"] == TextRules.nonBlankPattern)
        #expect(patterns["noNul"] == TextRules.noNulPattern)
        #expect(patterns["email"] == ContactValidation.emailPattern.pattern)
        func property(_ schema: String, _ name: String) -> [String: Any]? {
            ((((openapi.root["components"] as? [String: Any])?["schemas"] as? [String: Any])?[schema] as? [String: Any])?["properties"]
                as? [String: Any])?[name] as? [String: Any]
        }
        #expect(property("ContactChannels", "mobile")?["pattern"] as? String == ContactValidation.mobilePattern.pattern)
        #expect(property("ContactChannels", "email")?["pattern"] as? String == ContactValidation.emailPattern.pattern)
        #expect(property("ContactChannels", "dingTalkUserId")?["pattern"] as? String == ContactValidation.userIdPattern.pattern)
        #expect(property("ContactChannels", "weComUserId")?["pattern"] as? String == ContactValidation.userIdPattern.pattern)
        #expect(property("UnitContact", "phone")?["pattern"] as? String == UnitRoutes.phonePattern.pattern)
        #expect(property("UnitContact", "email")?["pattern"] as? String == ContactValidation.emailPattern.pattern)
        #expect(property("NewProposal", "proposedUnitId")?["pattern"] as? String == ProposalRoutes.unitIdPattern.pattern)
        #expect(property("NewPerson", "name")?["pattern"] as? String == TextRules.nonBlankPattern)
        // What only the database knows, per operation (ContractServiceAPI checks each names a field it has).
        let stateChecked = Set(openapi.operations.filter { $0.operation["x-state-checks"] != nil }.map { "\($0.method) \($0.path)" })
        #expect(stateChecked == [
            "post /v1/people", "put /v1/units/{id}/liaison", "put /v1/units/{id}/member", "post /v1/membership-proposals",
            "post /v1/institutions",
        ])
        let key = try openapi.parameters("post", "/v1/people").first { $0["name"] as? String == "Idempotency-Key" }
        #expect((key?["schema"] as? [String: Any])?["pattern"] as? String == IdempotentCreate.keyPattern.pattern)

        let samples = [
            "a@b.cn", "jyj.jcjyg@fangxian.gov.cn", "张三@房县.中国", "a@b.c.d", "", "a@b", "a@.b", "a@b.", "a@b..c", "@b.c", "a@@b.c",
            "a b@c.d", "a@b.c\n", "a\u{85}@b.c", "a@b.c\u{3000}", "a\u{7f}@b.c", "a\u{a0}@b.c", "a\u{ad}@b.c",
            String(repeating: "a", count: 250) + "@b.cn", String(repeating: "a", count: 249) + "@b.cn",
            // One Character, two scalars: "@" and "." with a modifier or a combining mark after them.
            "a@\u{1F3FB}b.c", "a@b.\u{301}c", "a@b\u{301}.c", "a.\u{301}@b.c",
        ]
        for sample in samples {
            let documented = ContactValidation.emailPattern.matches(sample) && TextRules.length(sample) <= 254
            #expect(documented == (ContactValidation.emailProblem(sample) == nil), "\(sample.debugDescription)")
        }
    }

    /// A request breaking any length or pattern rule its document states is
    /// refused with problem+json naming the member, and nothing is written.
    /// The rules are read from the document, so a new one is probed at once.
    @Test func everyDocumentedLengthAndPatternIsEnforced() async throws {
        try await Self.withRegistry { registry in
            let openapi = try ContractOpenAPI(documents: ContractDocuments())
            let client = Client(registry: registry, openapi: openapi)
            let person = try await client.call("POST", "/v1/people", json: ["name": "赵六", "unitId": "education-bureau"], expect: 201)
            let personId = try #require(person.json["id"] as? String)
            let proposal = try await client.call("POST", "/v1/membership-proposals", json: [
                "unitName": "县税务局", "proposedUnitId": "tax-bureau", "duties": [["text": "负责税收征管。", "topics": ["fees"]]], "reason": "需要",
            ], expect: 201)
            let proposalId = try #require(proposal.json["id"] as? String)
            let institution = try await client.call("POST", "/v1/institutions", json: [
                "creditCode": try Self.creditCode("52420325", "MJ000003"), "name": "房县书法培训中心", "category": "sports-arts",
                "nonProfit": true, "address": "房县城关镇",
            ], expect: 201)
            let institutionId = try #require(institution.json["id"] as? String)
            let channels: [String: Any] = ["mobile": "13800000001", "email": "zs@fangxian.gov.cn", "dingTalkUserId": "zs", "weComUserId": "zs"]
            // Each operation with a body: a valid body with every optional member present.
            let cases: [(method: String, template: String, path: String, body: [String: Any])] = [
                ("POST", "/v1/people", "/v1/people", [
                    "name": "张三", "unitId": "education-bureau", "title": "股长", "roles": ["office"], "channels": channels,
                ]),
                ("PATCH", "/v1/people/{id}", "/v1/people/\(personId)", ["name": "赵六", "title": "科员", "roles": [String](), "channels": channels]),
                ("PUT", "/v1/units/{id}/contact", "/v1/units/education-bureau/contact", [
                    "phone": "0719-3222222", "email": "jyj@fangxian.gov.cn", "address": "房县城关镇",
                ]),
                ("POST", "/v1/membership-proposals", "/v1/membership-proposals", [
                    "unitName": "县气象局", "proposedUnitId": "meteorological-bureau",
                    "duties": [["text": "负责极端天气预警。", "topics": ["facility-safety"]]], "reason": "安全预警",
                ]),
                ("POST", "/v1/membership-proposals/{id}/study", "/v1/membership-proposals/\(proposalId)/study", [
                    "meetingReference": "第1次全体会议纪要", "recommended": true, "note": "建议增加",
                ]),
                ("POST", "/v1/membership-proposals/{id}/decision", "/v1/membership-proposals/\(proposalId)/decision", [
                    "approved": true, "approvalDocument": "房政函〔2026〕1号", "reason": "同意",
                ]),
                ("POST", "/v1/institutions", "/v1/institutions", [
                    "creditCode": try Self.creditCode("52420325", "MJ000004"), "name": "房县围棋培训中心", "category": "sports-arts",
                    "nonProfit": false, "address": "房县城关镇", "licenceNumber": "教民142032570000002", "approvalStatus": "approved",
                ]),
                ("POST", "/v1/institutions/{id}/status", "/v1/institutions/\(institutionId)/status", ["status": "approved", "reason": "审批通过"]),
                ("PUT", "/v1/institutions/{id}/listing", "/v1/institutions/\(institutionId)/listing", [
                    "whitelisted": true, "blacklisted": false, "reason": "规范办学",
                ]),
            ]
            let before = try await registry.count("outbox")
            var probed: Set<String> = []
            for (method, template, path, body) in cases {
                for problem in try openapi.requestProblems(method, template, body: body) { Issue.record("the base body is invalid: \(problem)") }
                for violation in try openapi.violations(method, template, base: body) {
                    let response = try await registry.request(method, path, as: .office, json: violation.body)
                    let fields = (response.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
                    #expect([400, 422].contains(response.status) && fields.contains(violation.field),
                            "\(method) \(template) with \(violation): \(response.status) \(response.text.prefix(300))")
                    #expect(response.headers["content-type"]?.hasPrefix("application/problem+json") == true)
                    probed.insert("\(template) \(violation.field)")
                }
            }
            #expect(try await registry.count("outbox") == before, "a refused request wrote something")
            // The probe reaches the members the fuzzer found too lax once.
            for expected in [
                "/v1/people name", "/v1/people channels.mobile", "/v1/people channels.weComUserId", "/v1/institutions creditCode",
                "/v1/membership-proposals duties[0].text", "/v1/membership-proposals/{id}/study meetingReference",
                "/v1/units/{id}/contact phone", "/v1/institutions/{id}/listing reason",
            ] {
                #expect(probed.contains(expected), "not probed: \(expected)")
            }
            #expect(probed.count >= 25, "probed only \(probed.count)")
        }
    }

    /// A method a path does not have is 405 with `Allow` naming exactly the
    /// methods the document lists for the path (ServiceKit, every service).
    @Test func aMethodAPathLacksIs405WithTheDocumentedMethodsInAllow() async throws {
        try await Self.withRegistry { registry in
            let openapi = try ContractOpenAPI(documents: ContractDocuments())
            var checked = 0
            for (template, item) in openapi.paths {
                let documented = ContractOpenAPI.methods.filter { item[$0] != nil }
                let path = template.replacingOccurrences(of: "{id}", with: UUID().uuidString)
                for method in ["GET", "PUT", "POST", "DELETE", "PATCH"] where !documented.contains(method.lowercased()) {
                    let response = try await registry.request(method, path, as: .office)
                    #expect(response.status == 405, "\(method) \(template): \(response.status)")
                    #expect(response.headers["allow"] == documented.map { $0.uppercased() }.sorted().joined(separator: ", "),
                            "\(method) \(template): Allow \(response.headers["allow"] ?? "none")")
                    #expect(response.headers["content-type"]?.hasPrefix("application/problem+json") == true)
                    checked += 1
                }
            }
            #expect(checked >= 80)
        }
    }

    // MARK: - AsyncAPI against the source

    /// Sample aggregates: `full` sets every optional member, so each one the
    /// model can send is checked against the contract; `minimal` sets none.
    struct Samples {
        var unit: MemberUnit
        var person: Person
        var proposal: MembershipProposal
        var institution: TrainingInstitution

        static func make(full: Bool) -> Samples {
            let now = Date()
            let personId = UUID()
            let unit = MemberUnit(
                id: "sample-bureau", name: "县样例局", aliases: full ? ["样例局"] : [],
                duties: [
                    Duty(id: "sample-bureau/1", text: "负责样例工作。", topics: [.approval, .registration],
                         sharedKey: full ? "shared-1" : nil, sharedWith: full ? ["civil-affairs-bureau"] : [],
                         scope: full ? DutyScope(categories: [.scienceTechnology], nonProfit: true) : nil,
                         role: full ? .assisting : .lead, partnerUnitIds: full ? ["administrative-approval-bureau"] : [],
                         sourceDutyId: full ? "administrative-approval-bureau/1" : nil)
                ],
                memberId: full ? UUID() : nil, liaisonId: full ? personId : nil,
                contact: full ? UnitContact(phone: "0719-3200000", email: "yb@fangxian.gov.cn", address: "房县城关镇") : UnitContact(),
                admission: Admission(reference: "房政办函〔2022〕37号", admittedAt: now, proposalId: full ? UUID() : nil),
                version: 1, updatedAt: now)
            let person = Person(
                id: personId, name: "周九", unitId: full ? "sample-bureau" : nil, title: full ? "副局长" : nil,
                roles: full ? [.liaison, .office] : [.convener],
                channels: full
                    ? ContactChannels(mobile: "13900000009", email: "zj@fangxian.gov.cn", dingTalkUserId: "zj", weComUserId: "zhoujiu")
                    : ContactChannels(),
                version: 2, updatedAt: now)
            let proposal = MembershipProposal(
                id: UUID(), unitName: "县样例局", proposedUnitId: "sample-bureau",
                duties: [ProposedDuty(text: "负责样例工作。", topics: [.fees])], reason: "工作需要",
                status: full ? .approved : .proposed, proposed: .init(by: "office-1", at: now),
                studied: full ? .init(by: "office-1", at: now, meetingReference: "第1次全体会议", recommended: true, note: "同意") : nil,
                decided: full ? .init(by: "office-1", at: now, approved: true, approvalDocument: "房政函〔2026〕1号", reason: "同意") : nil,
                admittedUnitId: full ? "sample-bureau" : nil, version: full ? 3 : 1, updatedAt: now)
            let institution = TrainingInstitution(
                id: UUID(), creditCode: "52420325MJ0000000X", name: "房县样例培训学校", category: .sportsArts, nonProfit: full,
                address: "房县城关镇", licenceNumber: full ? "教民142032570000001" : nil, status: full ? .suspended : .pending,
                statusReason: full ? "整改" : nil, whitelisted: full, blacklisted: false,
                responsibleUnits: ResponsibleUnits(approving: ["administrative-approval-bureau"], registering: [], standardSetting: [], supervising: []),
                version: 1, registeredAt: now, updatedAt: now)
            return Samples(unit: unit, person: person, proposal: proposal, institution: institution)
        }
    }

    /// The event `RegistryEvent` builds for `type`, from the samples.
    static func build(_ type: String, _ samples: Samples) throws -> OutboxEvent? {
        let entity = type.dropFirst(eventPrefix.count).split(separator: ".").first.map(String.init) ?? ""
        switch entity {
        case "unit": return try RegistryEvent.unit(type, samples.unit)
        case "liaison": return try RegistryEvent.liaisonChanged(samples.unit, liaison: samples.person, previous: samples.unit.memberId)
        case "proposal": return try RegistryEvent.proposal(type, samples.proposal, at: Date())
        case "person": return try RegistryEvent.person(type, samples.person)
        case "institution":
            return try RegistryEvent.institution(type, samples.institution, previousStatus: type.contains("status") ? .approved : nil)
        default: return nil
        }
    }

    @Test func everyRegistryEventTypeIsAMessageOnItsTopicsChannel() throws {
        let asyncapi = try ContractAsyncAPI(documents: ContractDocuments())
        #expect(EventType.registry.count == Set(EventType.registry).count)
        for full in [true, false] {
            let samples = Samples.make(full: full)
            for type in EventType.registry {
                guard let event = try Self.build(type, samples) else {
                    Issue.record("\(type): no builder known for it; teach RegistryContractTests.build")
                    continue
                }
                #expect(event.type == type)
                for problem in try asyncapi.problems(
                    topic: event.topic, type: type, key: event.aggregateId, headers: nil, subject: event.subject, payload: event.payload)
                {
                    Issue.record("\(full ? "full" : "minimal") sample: \(problem)")
                }
            }
        }
        // And nothing documented that the registry does not publish.
        let documented = try asyncapi.messageNames(prefix: Self.eventPrefix)
        #expect(documented == Set(EventType.registry), "documented but not published: \(documented.subtracting(EventType.registry).sorted()); published but not documented: \(Set(EventType.registry).subtracting(documented).sorted())")
        for topic in [Topic.registryUnits, Topic.registryPeople, Topic.registryInstitutions] {
            #expect(asyncapi.channel(topic: topic) != nil, "no channel for \(topic)")
        }
        let deadLetters = asyncapi.channels.values.first { ($0["address"] as? String)?.hasSuffix(".dlq") == true }
        #expect(deadLetters?["address"] as? String == "{topic}.{consumerGroup}.dlq")
        #expect(Topic.deadLetter(of: "t", group: "g") == "t.g.dlq")
    }

    // MARK: - Against a live registry

    /// A valid unified social credit code (GB 32100-2015) from the registry's
    /// own helper: 8 characters of authority, type and division, an 8-character
    /// organisation code body; both check characters computed.
    static func creditCode(_ first8: String, _ body: String) throws -> String {
        let organisationCheck = try #require(CreditCode.organisationCodeCheckCharacter(for: body))
        let first17 = first8 + body + String(organisationCheck)
        let code = first17 + String(try #require(CreditCode.checkCharacter(for: first17)))
        #expect(CreditCode.isValid(code), "\(code)")
        return code
    }

    /// Sends a request, checks the status, and checks the response (and, for a
    /// request meant to succeed, the request body) against the OpenAPI document.
    struct Client {
        let registry: RegistryProcess
        let openapi: ContractOpenAPI

        @discardableResult
        func call(
            _ method: String, _ template: String, _ path: String? = nil, as who: RegistryProcess.As? = .office,
            json: Any? = nil, headers: [String: String] = [:], expect status: Int,
            sourceLocation: SourceLocation = #_sourceLocation
        ) async throws -> RegistryProcess.Response {
            if let json, (200..<300).contains(status) {
                for problem in try openapi.requestProblems(method, template, body: json) {
                    Issue.record("\(problem)", sourceLocation: sourceLocation)
                }
            }
            let response = try await registry.request(method, path ?? template, as: who, json: json, headers: headers)
            #expect(response.status == status, "\(method) \(path ?? template): \(response.status) \(response.text.prefix(400))",
                    sourceLocation: sourceLocation)
            for problem in try openapi.problems(method, template, response) {
                Issue.record("\(problem)", sourceLocation: sourceLocation)
            }
            return response
        }
    }

    @Test func liveResponsesMatchTheOpenAPIDocument() async throws {
        try await Self.withRegistry { registry in
            let openapi = try ContractOpenAPI(documents: ContractDocuments())
            let client = Client(registry: registry, openapi: openapi)

            // Units, duties, the duty matrix, topics, positions.
            let units = try await client.call("GET", "/v1/units", as: .countySystem, expect: 200)
            #expect(units.items.count >= 26)
            try await client.call("GET", "/v1/units/{id}", "/v1/units/education-bureau", as: .convener, expect: 200)
            try await client.call("GET", "/v1/units/{id}", "/v1/units/no-such-unit", expect: 404)
            try await client.call("GET", "/v1/units/{id}/duties", "/v1/units/education-bureau/duties", as: .unit("finance-bureau"), expect: 200)
            try await client.call("GET", "/v1/duty-matrix", "/v1/duty-matrix?topic=fire-safety", expect: 200)
            try await client.call("GET", "/v1/duty-matrix", "/v1/duty-matrix?topic=weather", expect: 400)
            try await client.call("GET", "/v1/duty-matrix", "/v1/duty-matrix", expect: 400)
            let topics = try await client.call("GET", "/v1/duty-topics", expect: 200)
            #expect((topics.json["items"] as? [String]) == openapi.enumeration("DutyTopic"))
            try await client.call("GET", "/v1/positions", expect: 200)

            // People, with an Idempotency-Key: created, replayed, refused for another body.
            let newPerson: [String: Any] = [
                "name": "张三", "unitId": "education-bureau", "title": "基础教育股股长", "roles": ["office"],
                "channels": ["mobile": "13800000001", "email": "zs@fangxian.gov.cn", "dingTalkUserId": "zhangsan", "weComUserId": "zs"],
            ]
            let key = ["Idempotency-Key": "contract-person-\(UUID().uuidString)"]
            let person = try await client.call("POST", "/v1/people", json: newPerson, headers: key, expect: 201)
            let personId = try #require(person.json["id"] as? String)
            let replay = try await client.call("POST", "/v1/people", json: newPerson, headers: key, expect: 201)
            #expect(replay.headers["idempotent-replayed"] == "true" && replay.json["id"] as? String == personId)
            var otherPerson = newPerson
            otherPerson["name"] = "李四"
            try await client.call("POST", "/v1/people", json: otherPerson, headers: key, expect: 422)
            try await client.call("POST", "/v1/people", json: otherPerson, headers: ["Idempotency-Key": "has space"], expect: 400)
            let convener = try await client.call("POST", "/v1/people", json: ["name": "王县长", "roles": ["convener"]], expect: 201)
            let convenerId = try #require(convener.json["id"] as? String)
            try await client.call("POST", "/v1/people", json: ["name": "无单位", "roles": ["office"]], expect: 422)
            try await client.call("POST", "/v1/people", json: ["name": 5], expect: 400)

            try await client.call("GET", "/v1/people", expect: 200)
            let filtered = try await client.call("GET", "/v1/people", "/v1/people?unit=education-bureau&role=office", as: .countySystem, expect: 200)
            #expect(filtered.items.contains { $0["id"] as? String == personId })
            try await client.call("GET", "/v1/people", "/v1/people?role=chief", expect: 400)
            try await client.call("GET", "/v1/people/{id}", "/v1/people/\(personId)", as: .unit("education-bureau"), expect: 200)
            try await client.call("GET", "/v1/people/{id}", "/v1/people/\(UUID().uuidString)", expect: 404)
            try await client.call("GET", "/v1/people/{id}", "/v1/people/not-a-uuid", expect: 404)
            try await client.call("PATCH", "/v1/people/{id}", "/v1/people/\(personId)", as: .unit("education-bureau"),
                                  json: ["channels": ["mobile": "13800000002", "email": "zs@fangxian.gov.cn"]], expect: 200)
            try await client.call("PATCH", "/v1/people/{id}", "/v1/people/\(personId)",
                                  json: ["name": "张三", "title": "股长", "roles": ["office"]], expect: 200)
            try await client.call("PATCH", "/v1/people/{id}", "/v1/people/\(personId)", json: ["channels": ["mobile": "12345"]], expect: 422)

            // A unit's posts and contact.
            try await client.call("PUT", "/v1/units/{id}/liaison", "/v1/units/education-bureau/liaison", json: ["personId": personId], expect: 200)
            try await client.call("PUT", "/v1/units/{id}/liaison", "/v1/units/education-bureau/liaison", json: ["personId": personId], expect: 409)
            try await client.call("PUT", "/v1/units/{id}/liaison", "/v1/units/education-bureau/liaison", json: ["personId": convenerId], expect: 422)
            try await client.call("PUT", "/v1/units/{id}/member", "/v1/units/education-bureau/member", json: ["personId": personId], expect: 200)
            try await client.call("PUT", "/v1/units/{id}/member", "/v1/units/no-such-unit/member", json: ["personId": personId], expect: 404)
            try await client.call("PUT", "/v1/units/{id}/contact", "/v1/units/education-bureau/contact",
                                  json: ["phone": "0719-3222222", "email": "jyj@fangxian.gov.cn", "address": "房县城关镇"], expect: 200)
            try await client.call("PUT", "/v1/units/{id}/contact", "/v1/units/education-bureau/contact", json: ["email": "nobody"], expect: 422)
            try await client.call("PUT", "/v1/units/{id}/contact", "/v1/units/education-bureau/contact", as: .unit("education-bureau"),
                                  json: ["phone": "0719-3222223"], expect: 200)
            let unit = try await client.call("GET", "/v1/units/{id}", "/v1/units/education-bureau", expect: 200)
            #expect(unit.json["liaisonId"] as? String == personId && unit.json["memberId"] as? String == personId)
            try await client.call("GET", "/v1/people/{id}", "/v1/people/\(personId)", expect: 200)

            // Membership proposals: proposed → studied → approved (a unit is admitted); another rejected at study.
            let newProposal: [String: Any] = [
                "unitName": "县税务局", "proposedUnitId": "tax-bureau",
                "duties": [["text": "负责校外培训机构税收征管。", "topics": ["fees", "daily-supervision"]]], "reason": "税收监管需要",
            ]
            let proposal = try await client.call(
                "POST", "/v1/membership-proposals", json: newProposal, headers: ["Idempotency-Key": "contract-proposal-1"], expect: 201)
            let proposalId = try #require(proposal.json["id"] as? String)
            var existing = newProposal
            existing["unitName"] = "县教育局"
            try await client.call("POST", "/v1/membership-proposals", json: existing, expect: 409)
            try await client.call("POST", "/v1/membership-proposals",
                                  json: ["unitName": " ", "proposedUnitId": "Bad Id", "duties": [], "reason": ""], expect: 422)
            try await client.call("POST", "/v1/membership-proposals", json: ["unitName": "县税务局"], expect: 400)
            try await client.call("GET", "/v1/membership-proposals", expect: 200)
            try await client.call("GET", "/v1/membership-proposals", "/v1/membership-proposals?status=proposed", as: .convener, expect: 200)
            try await client.call("GET", "/v1/membership-proposals", "/v1/membership-proposals?status=maybe", expect: 400)
            try await client.call("GET", "/v1/membership-proposals/{id}", "/v1/membership-proposals/\(proposalId)", expect: 200)
            try await client.call("GET", "/v1/membership-proposals/{id}", "/v1/membership-proposals/\(UUID().uuidString)", expect: 404)
            let decide = "/v1/membership-proposals/\(proposalId)/decision"
            try await client.call("POST", "/v1/membership-proposals/{id}/decision", decide,
                                  json: ["approved": true, "approvalDocument": "房政函〔2026〕1号"], expect: 409)
            try await client.call("POST", "/v1/membership-proposals/{id}/study", "/v1/membership-proposals/\(proposalId)/study",
                                  json: ["meetingReference": "2026年第1次全体会议纪要", "recommended": true, "note": "建议增加"], expect: 200)
            try await client.call("POST", "/v1/membership-proposals/{id}/decision", decide, json: ["approved": true], expect: 422)
            let approved = try await client.call("POST", "/v1/membership-proposals/{id}/decision", decide,
                                                 json: ["approved": true, "approvalDocument": "房政函〔2026〕1号"], expect: 200)
            #expect(approved.json["admittedUnitId"] as? String == "tax-bureau")
            try await client.call("GET", "/v1/units/{id}", "/v1/units/tax-bureau", expect: 200)
            let second = try await client.call("POST", "/v1/membership-proposals", json: [
                "unitName": "县气象局", "proposedUnitId": "meteorological-bureau",
                "duties": [["text": "负责极端天气预警。", "topics": ["facility-safety"]]], "reason": "安全预警",
            ], expect: 201)
            let secondId = try #require(second.json["id"] as? String)
            try await client.call("POST", "/v1/membership-proposals/{id}/study", "/v1/membership-proposals/\(secondId)/study",
                                  json: ["meetingReference": "2026年第1次全体会议纪要", "recommended": false], expect: 200)

            // Training institutions.
            let code = try Self.creditCode("52420325", "MA4F0XY1")
            let registration: [String: Any] = [
                "creditCode": code, "name": "房县启航艺术培训学校", "category": "sports-arts", "nonProfit": false,
                "address": "房县城关镇人民路1号", "licenceNumber": "教民142032570000001", "approvalStatus": "approved",
                "whitelisted": true, "blacklisted": false,
            ]
            let institution = try await client.call(
                "POST", "/v1/institutions", json: registration, headers: ["Idempotency-Key": "contract-institution-1"], expect: 201)
            let institutionId = try #require(institution.json["id"] as? String)
            try await client.call("POST", "/v1/institutions", json: registration, expect: 409)
            var badCode = registration
            badCode["creditCode"] = String(code.dropLast()) + (code.hasSuffix("0") ? "1" : "0")
            badCode["name"] = ""
            let invalid = try await client.call("POST", "/v1/institutions", json: badCode, expect: 422)
            #expect(invalid.headers["content-type"]?.hasPrefix("application/problem+json") == true)
            #expect(Set((invalid.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }) == ["creditCode", "name"])
            try await client.call("POST", "/v1/institutions", json: ["creditCode": code, "category": "chess"], expect: 400)
            let minimal = try await client.call("POST", "/v1/institutions", json: [
                "creditCode": try Self.creditCode("52420325", "MJ000001"), "name": "房县科创少年学堂", "category": "science-technology",
                "nonProfit": true, "address": "房县军店镇",
            ], expect: 201)
            #expect(minimal.json["status"] as? String == "pending")

            try await client.call("GET", "/v1/institutions", as: .countySystem, expect: 200)
            let query = "q=%E5%90%AF%E8%88%AA&category=sports-arts&status=approved&whitelisted=true&blacklisted=false&page=1&pageSize=10"
            let page = try await client.call("GET", "/v1/institutions", "/v1/institutions?\(query)", expect: 200)
            #expect(page.items.count == 1 && page.json["total"] as? Int == 1)
            let badQuery = try await client.call("GET", "/v1/institutions", "/v1/institutions?pageSize=0&category=chess&whitelisted=maybe", expect: 400)
            #expect((badQuery.json["errors"] as? [Any])?.count == 3)
            try await client.call("GET", "/v1/institutions/{id}", "/v1/institutions/\(institutionId)", as: .unit("education-bureau"), expect: 200)
            try await client.call("GET", "/v1/institutions/{id}", "/v1/institutions/\(UUID().uuidString)", expect: 404)
            let status = "/v1/institutions/\(institutionId)/status"
            try await client.call("POST", "/v1/institutions/{id}/status", status, json: ["status": "suspended", "reason": "消防检查不合格"], expect: 200)
            try await client.call("POST", "/v1/institutions/{id}/status", status, json: ["status": "pending", "reason": "重新审批"], expect: 422)
            try await client.call("POST", "/v1/institutions/{id}/status", status, json: ["status": "closed", "reason": "停止办学"], expect: 200)
            try await client.call("POST", "/v1/institutions/{id}/status", status, json: ["status": "approved", "reason": "恢复"], expect: 409)
            let listing = "/v1/institutions/\(institutionId)/listing"
            try await client.call("PUT", "/v1/institutions/{id}/listing", listing,
                                  json: ["whitelisted": false, "blacklisted": true, "reason": "违规收费"], expect: 200)
            try await client.call("PUT", "/v1/institutions/{id}/listing", listing,
                                  json: ["whitelisted": true, "blacklisted": true, "reason": "两者"], expect: 422)
            try await client.call("GET", "/v1/institutions/{id}", "/v1/institutions/\(institutionId)", expect: 200)

            // The audit log every service has (entries are written by the write paths).
            let audit = try await client.call("GET", "/v1/audit", "/v1/audit?page=1&pageSize=10", as: .convener, expect: 200)
            #expect(audit.json["page"] as? Int == 1 && audit.json["pageSize"] as? Int == 10)
            let badAudit = try await client.call("GET", "/v1/audit", "/v1/audit?pageSize=0&from=yesterday", expect: 400)
            #expect((badAudit.json["errors"] as? [Any])?.count == 2)

            // Health and metrics need no token.
            try await client.call("GET", "/health/live", as: nil, expect: 200)
            try await client.call("GET", "/health/ready", as: nil, expect: 200)
            let metrics = try await client.call("GET", "/metrics", as: nil, expect: 200)
            #expect(metrics.text.contains("http_requests_total"))
        }
    }

    /// Every documented /v1 operation: 401 without a token; 403 for each role
    /// `x-roles` leaves out (and for another unit's token where `x-own-unit`);
    /// never 401/403 for a role it lists. Bodies are `{}`, so an allowed role
    /// gets a 400/422 at most and nothing is created.
    @Test func rolesAreEnforcedAsDocumented() async throws {
        try await Self.withRegistry { registry in
            let openapi = try ContractOpenAPI(documents: ContractDocuments())
            let client = Client(registry: registry, openapi: openapi)
            let person = try await client.call("POST", "/v1/people", json: ["name": "赵六", "unitId": "education-bureau"], expect: 201)
            let proposal = try await client.call("POST", "/v1/membership-proposals", json: [
                "unitName": "县税务局", "proposedUnitId": "tax-bureau", "duties": [["text": "负责税收征管。", "topics": ["fees"]]], "reason": "需要",
            ], expect: 201)
            let institution = try await client.call("POST", "/v1/institutions", json: [
                "creditCode": try Self.creditCode("52420325", "MJ000002"), "name": "房县书法培训中心", "category": "sports-arts",
                "nonProfit": true, "address": "房县城关镇",
            ], expect: 201)
            let ids: [(prefix: String, id: String)] = [
                ("/v1/units/", "education-bureau"),
                ("/v1/people/", try #require(person.json["id"] as? String)),
                ("/v1/membership-proposals/", try #require(proposal.json["id"] as? String)),
                ("/v1/institutions/", try #require(institution.json["id"] as? String)),
            ]
            let principals: [(role: String, who: RegistryProcess.As)] = [
                ("office", .office), ("convener", .convener), ("county-system", .countySystem), ("ops", .ops),
                ("unit", .unit("education-bureau")),
            ]
            var checked = 0
            var reported: Set<String> = []
            func report(_ problems: [String]) {
                for problem in problems where reported.insert(problem).inserted { Issue.record("\(problem)") }
            }
            for (method, template, operation) in openapi.operations where template.hasPrefix("/v1/") {
                let path = ids.first { template.hasPrefix($0.prefix + "{id}") }.map { template.replacingOccurrences(of: "{id}", with: $0.id) } ?? template
                let query = template == "/v1/duty-matrix" ? "?topic=fees" : ""
                let body: Any? = operation["requestBody"] == nil ? nil : [String: Any]()
                let roles = Set((operation["x-roles"] as? [Any] ?? []).map { "\($0)" })
                let ownUnit = operation["x-own-unit"] as? Bool ?? false
                let name = "\(method.uppercased()) \(template)"

                let anonymous = try await registry.request(method.uppercased(), path + query, as: nil, json: body)
                #expect(anonymous.status == 401, "\(name) without a token: \(anonymous.status)")
                report(try openapi.problems(method, template, anonymous))

                for (role, who) in principals {
                    let response = try await registry.request(method.uppercased(), path + query, as: who, json: body)
                    report(try openapi.problems(method, template, response))
                    if roles.contains(role) || (role == "unit" && ownUnit) {
                        #expect(response.status != 401 && response.status != 403, "\(name) as \(role) (allowed): \(response.status) \(response.text.prefix(200))")
                    } else {
                        #expect(response.status == 403, "\(name) as \(role) (not allowed): \(response.status) \(response.text.prefix(200))")
                    }
                }
                if ownUnit {
                    let other = try await registry.request(method.uppercased(), path + query, as: .unit("finance-bureau"), json: body)
                    #expect(other.status == 403, "\(name) as another unit: \(other.status) \(other.text.prefix(200))")
                    report(try openapi.problems(method, template, other))
                }
                checked += 1
            }
            #expect(checked >= 19)
        }
    }

    /// The registry's own events, read back from the broker, against the
    /// AsyncAPI document: topic → channel, ce_type → message of that channel,
    /// CloudEvents headers, key and payload; every published type is seen.
    @Test func publishedEventsMatchTheAsyncAPIDocument() async throws {
        try await Self.withRegistry { registry in
            let asyncapi = try ContractAsyncAPI(documents: ContractDocuments())
            let client = Client(registry: registry, openapi: try ContractOpenAPI(documents: ContractDocuments()))

            // One of each event type.
            let person = try await client.call("POST", "/v1/people", json: [
                "name": "周九", "unitId": "market-regulation-bureau", "title": "副局长", "channels": ["mobile": "13900000009"],
            ], expect: 201)
            let personId = try #require(person.json["id"] as? String)
            try await client.call("PUT", "/v1/units/{id}/liaison", "/v1/units/market-regulation-bureau/liaison", json: ["personId": personId], expect: 200)
            try await client.call("PUT", "/v1/units/{id}/contact", "/v1/units/market-regulation-bureau/contact", json: ["phone": "0719-3211111"], expect: 200)
            let proposal = try await client.call("POST", "/v1/membership-proposals", json: [
                "unitName": "县税务局", "proposedUnitId": "tax-bureau", "duties": [["text": "负责税收征管。", "topics": ["fees"]]], "reason": "需要",
            ], expect: 201)
            let proposalId = try #require(proposal.json["id"] as? String)
            try await client.call("POST", "/v1/membership-proposals/{id}/study", "/v1/membership-proposals/\(proposalId)/study",
                                  json: ["meetingReference": "第2次联络员会议", "recommended": true], expect: 200)
            try await client.call("POST", "/v1/membership-proposals/{id}/decision", "/v1/membership-proposals/\(proposalId)/decision",
                                  json: ["approved": true, "approvalDocument": "房政函〔2026〕2号"], expect: 200)
            let institution = try await client.call("POST", "/v1/institutions", json: [
                "creditCode": try Self.creditCode("92420325", "MA4F0XY3"), "name": "房县围棋培训中心", "category": "sports-arts",
                "nonProfit": false, "address": "房县城关镇",
            ], expect: 201)
            let institutionId = try #require(institution.json["id"] as? String)
            try await client.call("POST", "/v1/institutions/{id}/status", "/v1/institutions/\(institutionId)/status",
                                  json: ["status": "approved", "reason": "审批通过"], expect: 200)
            try await client.call("PUT", "/v1/institutions/{id}/listing", "/v1/institutions/\(institutionId)/listing",
                                  json: ["whitelisted": true, "blacklisted": false, "reason": "规范办学"], expect: 200)

            let messages = try await Self.publishedEvents(of: registry)
            let seen = Set(messages.compactMap { Self.header($0, "ce_type") })
            #expect(seen == Set(EventType.registry), "types not seen on the broker: \(Set(EventType.registry).subtracting(seen).sorted())")
            var reported: Set<String> = []
            for message in messages {
                var headers: [String: String] = [:]
                for header in message.headers { headers[header.key] = header.value.map { String(decoding: $0, as: UTF8.self) } ?? "" }
                let type = headers["ce_type"] ?? "(no ce_type)"
                for problem in try asyncapi.problems(
                    topic: message.topic, type: type, key: message.key.map { String(decoding: $0, as: UTF8.self) } ?? "",
                    headers: headers, subject: headers["ce_subject"], payload: message.value ?? [])
                where reported.insert(problem).inserted {
                    Issue.record("\(problem)")
                }
            }
            #expect(messages.contains { $0.topic == Topic.registryUnits && Self.header($0, "ce_type") == EventType.unitUpdated })
        }
    }

    /// A registry of its own for `body`, stopped afterwards whatever happens.
    static func withRegistry(_ body: (RegistryProcess) async throws -> Void) async throws {
        let registry = try await RegistryProcess.start()
        do {
            try await body(registry)
        } catch {
            await registry.stop()
            throw error
        }
        await registry.stop()
    }

    static func header(_ message: KafkaMessage, _ name: String) -> String? {
        message.header(name).flatMap(\.value).map { String(decoding: $0, as: UTF8.self) }
    }

    static func publishedEvents(of registry: RegistryProcess) async throws -> [KafkaMessage] {
        try await registry.publishedEvents()
    }
}
