import Foundation
import ServiceKit
import Testing

/// Registry → Kafka → notification → sink and inbox, as separate processes
/// on a private broker, with a local HTTP sink standing in for the outside.
@Suite(.serialized) struct NotificationFlowTests {
    static let office = Principal(subject: "office-1", role: .office)

    @Test func aLiaisonChangeReachesTheSinkAndTheInboxWithTheRightText() async throws {
        let world = try await ServiceWorld.start()
        defer { world.stop() }
        try await world.launch("registry")
        try await world.launch("notification")
        try await HTTPSink.with { sink in
            let liaison = try await world.createPerson(name: "王芳", unit: "culture-tourism-bureau")
            let configured = try await world.request(
                "notification", "PUT", "/v1/channels/person/\(liaison)/webhook", token: try world.token(Self.office),
                json: ["endpoint": sink.url("/hook"), "secret": "webhook-secret-123456"])
            #expect(configured.status == 200, "\(configured.text)")
            #expect(configured.json["secret"] == nil && configured.json["hasSecret"] as? Bool == true)

            let changed = try await world.request("registry", "PUT", "/v1/units/culture-tourism-bureau/liaison",
                                                  token: try world.token(Self.office), json: ["personId": liaison])
            #expect(changed.status == 200)
            #expect(try await eventually(timeout: .seconds(60)) { !sink.requests(to: "/hook").isEmpty })
            let request = try #require(sink.requests(to: "/hook").first)
            let text = "\(request.json["title"] ?? "") \(request.json["body"] ?? "")"
            #expect(text.contains("王芳") && text.contains("县文旅局"), "\(text)")
            #expect(request.header("Idempotency-Key")?.isEmpty == false)
            #expect(request.header("X-Shuangjian-Signature")?.hasPrefix("sha256=") == true)

            let inbox = try await world.request("notification", "GET", "/v1/inbox",
                                                token: try world.token(Principal(subject: liaison, role: .unit, unitId: "culture-tourism-bureau")))
            #expect(inbox.status == 200)
            let item = try #require(inbox.items.first { ($0["eventType"] as? String)?.hasSuffix("liaison.changed.v1") == true })
            #expect("\(item["title"] ?? "") \(item["body"] ?? "")" == text)
            let id = try #require(item["id"] as? String)
            let token = try world.token(Principal(subject: liaison, role: .unit, unitId: "culture-tourism-bureau"))
            let acknowledged = try await world.request("notification", "POST", "/v1/inbox/\(id)/acknowledge", token: token)
            #expect(acknowledged.status == 200 && acknowledged.json["acknowledgedBy"] as? String == liaison)
            #expect(!world.log("notification").contains("webhook-secret-123456"), "no secret in any log line")
        }
    }

    @Test func anAdmittedUnitReachesTheOfficeAndTheConveners() async throws {
        let world = try await ServiceWorld.start()
        defer { world.stop() }
        try await world.launch("registry")
        try await world.launch("notification")
        try await HTTPSink.with { sink in
            let office = try world.token(Self.office)
            let created = try await world.request("registry", "POST", "/v1/people", token: office, json: [
                "name": "刘洋", "unitId": "education-bureau", "title": "基础教育股股长", "roles": ["office"],
            ])
            let officer = try #require(created.json["id"] as? String)
            let directory = world.pool("notification")
            #expect(try await eventually(timeout: .seconds(60)) {
                try await directory.query("SELECT count(*)::int FROM directory_people WHERE id = \(UUID(uuidString: officer)!)")[0]
                    .decode(0, as: Int.self) == 1
            })
            await directory.close()
            let configured = try await world.request("notification", "PUT", "/v1/channels/person/\(officer)/webhook", token: office,
                                                     json: ["endpoint": sink.url("/office")])
            #expect(configured.status == 200, "\(configured.text)")

            let proposal = try await world.request("registry", "POST", "/v1/membership-proposals", token: office, json: [
                "unitName": "县体育中心", "proposedUnitId": "sports-centre", "reason": "课后服务需要体育场地",
                "duties": [["text": "利用体育场馆配合教育部门做好课后服务", "topics": ["after-school-service"]]],
            ])
            let id = try #require(proposal.json["id"] as? String)
            #expect(try await world.request("registry", "POST", "/v1/membership-proposals/\(id)/study", token: office,
                                            json: ["meetingReference": "2026年第二次全体会议纪要", "recommended": true]).status == 200)
            #expect(try await world.request("registry", "POST", "/v1/membership-proposals/\(id)/decision", token: office,
                                            json: ["approved": true, "approvalDocument": "房政函〔2026〕1号"]).status == 200)
            #expect(try await eventually(timeout: .seconds(60)) {
                sink.requests(to: "/office").contains { ($0.json["eventType"] as? String)?.hasSuffix("unit.admitted.v1") == true }
            })
            let admitted = try #require(sink.requests(to: "/office").first { ($0.json["eventType"] as? String)?.hasSuffix("unit.admitted.v1") == true })
            #expect("\(admitted.json["title"] ?? "") \(admitted.json["body"] ?? "")".contains("县体育中心"))
            let inbox = try await world.request("notification", "GET", "/v1/inbox",
                                                token: try world.token(Principal(subject: officer, role: .office)))
            #expect(inbox.items.contains { ($0["eventType"] as? String)?.hasSuffix("unit.admitted.v1") == true })
        }
    }

    @Test func badChannelConfigurationIsRefused() async throws {
        let world = try await ServiceWorld.start()
        defer { world.stop() }
        try await world.launch("registry")
        try await world.launch("notification")
        let someone = try await world.createPerson(name: "李明", unit: "finance-bureau")
        let office = try world.token(Self.office)
        let cases: [(String, [String: Any], String)] = [
            ("webhook", ["endpoint": "ftp://example.com/x"], "endpoint"),
            ("webhook", ["endpoint": "http://example.com/x"], "endpoint"),
            ("dingtalk", ["endpoint": "https://oapi.dingtalk.com/robot/send?access_token=abc"], "secret"),
            ("dingtalk", ["endpoint": "https://example.com/robot", "secret": "SECabcdefgh"], "endpoint"),
            ("wecom", ["endpoint": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"], "endpoint"),
            ("webhook", ["endpoint": "https://example.com/x", "secret": "short"], "secret"),
        ]
        for (channel, body, field) in cases {
            let response = try await world.request("notification", "PUT", "/v1/channels/person/\(someone)/\(channel)", token: office, json: body)
            #expect(response.status == 422, "\(channel) \(body): \(response.text)")
            #expect(response.text.contains(field))
        }
        let unknown = try await world.request("notification", "PUT", "/v1/channels/person/\(UUID().uuidString)/webhook", token: office,
                                              json: ["endpoint": "https://example.com/x"])
        #expect(unknown.status == 422)
        let otherUnit = try await world.request(
            "notification", "PUT", "/v1/channels/person/\(someone)/webhook",
            token: try world.token(Principal(subject: "x", role: .unit, unitId: "education-bureau")),
            json: ["endpoint": "https://example.com/x"])
        #expect(otherUnit.status == 403)
        let pool = world.pool("notification")
        #expect(try await pool.query("SELECT count(*)::int FROM channel_configs")[0].decode(0, as: Int.self) == 0)
        await pool.close()
    }
}
