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

    /// With `SJ_NOTIFICATION_ALLOW_PRIVATE_ENDPOINTS` off (production), an
    /// endpoint that is, or resolves to, a private address is refused at
    /// configuration — 422 naming `endpoint`, nothing written — as are a
    /// short secret and a priority out of range; a public address is taken.
    @Test func privateEndpointsAreRefusedAtConfiguration() async throws {
        let world = try await ServiceWorld.start()
        defer { world.stop() }
        try await world.launch("registry")
        try await world.launch("notification", environment: ["SJ_NOTIFICATION_ALLOW_PRIVATE_ENDPOINTS": "false"])
        let someone = try await world.createPerson(name: "赵磊", unit: "health-bureau")
        let office = try world.token(Self.office)
        let secret = "webhook-secret-0123"
        let refused: [(String, String, String)] = [
            ("http://localhost:8080/hook", "endpoint", "localhost resolves to 127.0.0.1, which is loopback"),
            ("https://[::1]/hook", "endpoint", "::1 is loopback"),
            ("https://[::ffff:127.0.0.1]/hook", "endpoint", "stands for 127.0.0.1, which is loopback"),
            ("https://[::ffff:10.0.0.8]/hook", "endpoint", "stands for 10.0.0.8, which is private (RFC 1918)"),
            ("https://10.1.2.3/hook", "endpoint", "10.1.2.3 is private (RFC 1918)"),
            ("https://169.254.169.254/latest/meta-data", "endpoint", "169.254.169.254 is link-local"),
            ("https://100.100.100.200/latest/meta-data", "endpoint", "shared address space"),
            ("https://[fd12:3456::1]/hook", "endpoint", "fd12:3456::1 is unique local (RFC 4193)"),
            ("https://0.0.0.0/hook", "endpoint", "0.0.0.0 is unspecified"),
            ("https://nowhere.invalid/hook", "endpoint", "does not resolve"),
        ]
        for (endpoint, field, detail) in refused {
            let response = try await world.request(
                "notification", "PUT", "/v1/channels/person/\(someone)/webhook", token: office,
                json: ["endpoint": endpoint, "secret": secret])
            #expect(response.status == 422, "\(endpoint): \(response.text)")
            #expect(response.headers["content-type"]?.hasPrefix("application/problem+json") == true)
            #expect(response.json["field"] as? String == field, "\(endpoint): \(response.text)")
            #expect(response.text.contains(detail), "\(endpoint): \(response.text)")
        }
        let short = try await world.request("notification", "PUT", "/v1/channels/person/\(someone)/webhook", token: office,
                                            json: ["endpoint": "https://203.0.113.10/hook", "secret": "fifteen-chars-x"])
        #expect(short.status == 422 && short.json["field"] as? String == "secret", "\(short.text)")
        let priority = try await world.request("notification", "PUT", "/v1/channels/person/\(someone)/webhook", token: office,
                                               json: ["endpoint": "https://203.0.113.10/hook", "priority": 1001])
        #expect(priority.status == 422 && priority.json["field"] as? String == "priority", "\(priority.text)")
        let pool = world.pool("notification")
        #expect(try await pool.query("SELECT count(*)::int FROM channel_configs")[0].decode(0, as: Int.self) == 0, "nothing written")

        let accepted = try await world.request("notification", "PUT", "/v1/channels/person/\(someone)/webhook", token: office,
                                               json: ["endpoint": "https://203.0.113.10/hook", "secret": "sixteen-chars-xy", "priority": 5])
        #expect(accepted.status == 200, "\(accepted.text)")
        #expect(accepted.json["priority"] as? Int == 5)
        // Changing the endpoint only keeps the stored priority and secret.
        let changed = try await world.request("notification", "PUT", "/v1/channels/person/\(someone)/webhook", token: office,
                                              json: ["endpoint": "https://203.0.113.11/hook"])
        #expect(changed.json["priority"] as? Int == 5 && changed.json["hasSecret"] as? Bool == true, "\(changed.text)")
        #expect(try await pool.query("SELECT count(*)::int FROM channel_configs")[0].decode(0, as: Int.self) == 1)
        await pool.close()
    }

    /// A live fallback: the liaison's webhook (priority 1) refuses the alert
    /// for good, so their SMS gateway (priority 2) gets it with the same key;
    /// /metrics counts it and the audit log holds it as the system's act.
    @Test func aDeadWebhookFallsBackToSMSInTheRunningService() async throws {
        let world = try await ServiceWorld.start()
        defer { world.stop() }
        try await world.launch("registry")
        try await world.launch("notification")
        try await HTTPSink.with { sink in
            sink.script("/gone", [.init(status: 410, body: #"{"error":"hook removed"}"#)])
            let office = try world.token(Self.office)
            let liaison = try await world.createPerson(name: "周婷", unit: "justice-bureau")
            for (channel, endpoint, priority) in [("webhook", "/gone", 1), ("sms", "/sms", 2)] {
                let configured = try await world.request(
                    "notification", "PUT", "/v1/channels/person/\(liaison)/\(channel)", token: office,
                    json: ["endpoint": sink.url(endpoint), "secret": "channel-secret-0123", "priority": priority])
                #expect(configured.status == 200, "\(configured.text)")
            }
            let changed = try await world.request("registry", "PUT", "/v1/units/justice-bureau/liaison", token: office,
                                                  json: ["personId": liaison])
            #expect(changed.status == 200)
            #expect(try await eventually(timeout: .seconds(60)) { !sink.requests(to: "/sms").isEmpty }, "the SMS gateway gets the alert")
            let keys = (sink.requests(to: "/gone") + sink.requests(to: "/sms")).compactMap { $0.header("Idempotency-Key") }
            #expect(keys.count == 2 && Set(keys).count == 1, "\(keys)")

            let deliveries = try await world.request("notification", "GET", "/v1/deliveries?recipient=\(liaison)", token: office)
            let sms = try #require(deliveries.items.first { $0["channel"] as? String == "sms" })
            let webhook = try #require(deliveries.items.first { $0["channel"] as? String == "webhook" })
            #expect(webhook["state"] as? String == "dead")
            #expect((sms["fallbackFromId"] as? String)?.lowercased() == (webhook["id"] as? String)?.lowercased())
            #expect((sms["fallbackReason"] as? String)?.contains("HTTP 410") == true)

            #expect(try await eventually(timeout: .seconds(30)) {
                let metrics = try await world.request("notification", "GET", "/metrics", token: nil)
                let line = metrics.text.split(separator: "\n").first { $0.hasPrefix(#"notification_delivery_fallbacks_total{from="webhook",to="sms"}"#) }
                return line?.split(separator: " ").last == "1"
            }, "the fallback is counted")
            let audit = try await world.request(
                "notification", "GET", "/v1/audit?action=cn.gov.fangxian.shuangjian.notification.delivery.fell-back.v1", token: office)
            #expect(audit.status == 200)
            let entry = try #require(audit.items.first)
            #expect((entry["actor"] as? [String: Any])?["subject"] as? String == "notification.delivery")
            #expect((entry["aggregateId"] as? String)?.lowercased() == (sms["id"] as? String)?.lowercased())
        }
    }
}
