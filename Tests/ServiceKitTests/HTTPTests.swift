import Foundation
import Hummingbird
import Metrics
import TestSupport
import Testing
@testable import ServiceKit

/// The common HTTP behaviour, in process: problem+json, authentication,
/// request ids and logs, metrics, readiness.
@Suite struct HTTPTests {
    struct Order: Decodable {
        struct Item: Decodable {
            var name: String
            var quantity: Int
        }
        var customer: String
        var items: [Item]
        var note: String?
        /// Optional members of other types: a null in them is refused too.
        var rank: Int?
        var tags: [String]?
    }

    struct SecretFailure: Error, CustomStringConvertible {
        var description: String { "connection to db-7.internal refused (password=xyz)" }
    }

    static func router(checks: [ReadinessCheck]? = nil) -> Router<ServiceRequestContext> {
        let router = ServiceRouter.make(verifier: TokenVerifier(secret: TestServer.secret))
        router.get("/things/:id") { _, context in "thing \(context.parameters.get("id") ?? "")" }
        router.get("/office") { _, context in
            let principal = try context.require(.office, .convener)
            return "hello \(principal.subject)"
        }
        router.get("/units/:unit/letters") { _, context in
            let unit = try context.parameters.require("unit")
            try context.require(unit: unit, orAnyOf: [.office, .convener])
            return "letters of \(unit)"
        }
        router.post("/orders") { request, context -> Response in
            let order = try await request.decode(as: Order.self, context: context)
            var validation = Validation()
            _ = validation.text(order.customer, "customer", maxLength: 20)
            validation.check(!order.items.isEmpty, "items", "must list at least one item")
            for (index, item) in order.items.enumerated() {
                validation.nested("items[\(index)]") { item_ in
                    item_.check(item.quantity > 0, "quantity", "must be positive")
                }
            }
            try validation.throwIfInvalid()
            return Response(status: .created)
        }
        router.get("/boom") { _, _ -> String in throw SecretFailure() }
        router.get("/conflict") { _, _ -> String in throw HTTPError(.conflict, message: "unit u-1 already exists") }
        if let checks { ServiceRouter.addReadiness(to: router, checks: checks, timeout: .milliseconds(300)) }
        return router
    }

    @Test func healthAndMetricsNeedNoToken() async throws {
        try await TestServer.run(Self.router()) { client in
            let live = try await client.get("/health/live", headers: ["Authorization": "Bearer rubbish"])
            #expect(live.status == 200)
            let metrics = try await client.get("/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        }
    }

    @Test func missingAndInvalidTokensGet401ProblemWithAChallenge() async throws {
        try await TestServer.run(Self.router()) { client in
            let missing = try await client.get("/office")
            #expect(missing.status == 401)
            #expect(missing.header("Content-Type") == "application/problem+json")
            #expect(missing.header("WWW-Authenticate") == #"Bearer realm="shuangjian""#)
            let body = try missing.json()
            #expect(body["status"] as? Int == 401)
            #expect(body["title"] as? String == "Unauthorized")
            #expect(body["type"] as? String == "urn:shuangjian:problem:unauthenticated")
            #expect(body["instance"] as? String == "/office")
            #expect((body["detail"] as? String)?.contains("Bearer") == true)

            let expired = try TokenSigner(secret: TestServer.secret).sign(
                Principal(subject: "a", role: .office), ttl: .seconds(60), now: Date().addingTimeInterval(-3600))
            let refused = try await client.get("/office", headers: ["Authorization": "Bearer \(expired)"])
            #expect(refused.status == 401)
            #expect(
                refused.header("WWW-Authenticate")
                    == #"Bearer realm="shuangjian", error="invalid_token", error_description="the token has expired""#)
            #expect((try refused.json()["detail"] as? String)?.contains("expired") == true)

            let basic = try await client.get("/office", headers: ["Authorization": "Basic YTpi"])
            #expect(basic.status == 401)
        }
    }

    @Test func rolesAreEnforcedWith403NamingThem() async throws {
        try await TestServer.run(Self.router()) { client in
            let office = try await client.get("/office", headers: ["Authorization": "Bearer \(try TestServer.token(.office))"])
            #expect(office.status == 200)
            #expect(office.text == "hello tester")

            let unit = try await client.get("/office", headers: ["Authorization": "Bearer \(try TestServer.token(.unit, unit: "u-07"))"])
            #expect(unit.status == 403)
            #expect(unit.header("Content-Type") == "application/problem+json")
            let detail = try unit.json()["detail"] as? String ?? ""
            #expect(detail.contains("office or convener"))
            #expect(detail.contains("unit"))

            let own = try await client.get("/units/u-07/letters", headers: ["Authorization": "Bearer \(try TestServer.token(.unit, unit: "u-07"))"])
            #expect(own.status == 200)
            let other = try await client.get("/units/u-08/letters", headers: ["Authorization": "Bearer \(try TestServer.token(.unit, unit: "u-07"))"])
            #expect(other.status == 403)
            let ops = try await client.get("/units/u-08/letters", headers: ["Authorization": "Bearer \(try TestServer.token(.ops))"])
            #expect(ops.status == 403)
        }
    }

    @Test func aDecodingErrorNamesTheField() async throws {
        try await TestServer.run(Self.router()) { client in
            let missing = try await client.send(
                "POST", "/orders", body: #"{"customer":"c","items":[{"name":"a","quantity":1},{"name":"b","quantity":1},{"quantity":2}]}"#)
            #expect(missing.status == 400)
            #expect(missing.header("Content-Type") == "application/problem+json")
            var body = try missing.json()
            #expect(body["field"] as? String == "items[2].name")
            #expect(body["detail"] as? String == "items[2].name: is required")
            let errors = body["errors"] as? [[String: String]]
            #expect(errors == [["field": "items[2].name", "detail": "is required"]])

            let wrongType = try await client.send(
                "POST", "/orders", body: #"{"customer":"c","items":[{"name":"a","quantity":"many"}]}"#)
            body = try wrongType.json()
            #expect(wrongType.status == 400)
            #expect(body["field"] as? String == "items[0].quantity")
            #expect((body["detail"] as? String)?.contains("must be an integer") == true)

            let notJSON = try await client.send("POST", "/orders", body: "{nope")
            #expect(notJSON.status == 400)
            #expect((try notJSON.json()["detail"] as? String) == "the request body is not valid JSON")
        }
    }

    @Test func validationListsEveryFieldBeforeAnyWrite() async throws {
        try await TestServer.run(Self.router()) { client in
            let reply = try await client.send(
                "POST", "/orders", body: #"{"customer":"  ","items":[{"name":"a","quantity":1},{"name":"b","quantity":0}]}"#)
            #expect(reply.status == 422)
            let body = try reply.json()
            #expect(body["type"] as? String == "urn:shuangjian:problem:validation")
            let errors = body["errors"] as? [[String: String]]
            #expect(
                errors == [
                    ["field": "customer", "detail": "must not be empty"],
                    ["field": "items[1].quantity", "detail": "must be positive"],
                ])
            #expect(body["field"] == nil)

            let ok = try await client.send("POST", "/orders", body: #"{"customer":"c","items":[{"name":"a","quantity":1}]}"#)
            #expect(ok.status == 201)
        }
    }

    @Test func unmatchedRoutesAre404AndHTTPErrorsKeepTheirStatus() async throws {
        try await TestServer.run(Self.router()) { client in
            let missing = try await client.get("/no/such/route")
            #expect(missing.status == 404)
            #expect(missing.header("Content-Type") == "application/problem+json")
            #expect(try missing.json()["detail"] as? String == "No route matches GET /no/such/route.")

            let conflict = try await client.get("/conflict")
            #expect(conflict.status == 409)
            #expect(try conflict.json()["detail"] as? String == "unit u-1 already exists")
        }
    }

    /// RFC 9110 §15.5.6: the path exists, the method does not. Any path the
    /// router has, the common ones too; an unknown path stays 404.
    @Test func aMethodThePathLacksIs405WithAllowListingTheMethodsItHas() async throws {
        try await TestServer.run(Self.router()) { client in
            for (method, path, allow) in [
                ("DELETE", "/things/7", "GET"), ("GET", "/orders", "POST"), ("PATCH", "/orders", "POST"),
                ("POST", "/health/live", "GET"), ("PUT", "/metrics", "GET"), ("TRACE", "/office", "GET"),
                ("OPTIONS", "/units/u-1/letters", "GET"), ("POST", "/things/7/", "GET"),
            ] {
                let reply = try await client.send(method, path)
                #expect(reply.status == 405, "\(method) \(path): \(reply.status)")
                #expect(reply.header("Allow") == allow, "\(method) \(path)")
                #expect(reply.header("Content-Type") == "application/problem+json")
                let body = try reply.json()
                #expect(body["type"] as? String == "urn:shuangjian:problem:method-not-allowed")
                #expect(body["status"] as? Int == 405 && body["instance"] as? String == path)
            }
            // Nothing else changes: the right method still answers, an unknown path is 404.
            #expect(try await client.get("/things/7").status == 200)
            #expect(try await client.send("DELETE", "/no/such/route").status == 404)
            #expect(try await client.send("DELETE", "/things/7/more").status == 404)
        }
    }

    /// A member the type reads may not be null (leave it out) or hold NUL
    /// (PostgreSQL stores none); members the type does not know are ignored.
    @Test func nullMembersAndNULInTextAreRefusedNamingTheMember() async throws {
        try await TestServer.run(Self.router()) { client in
            for (body, field) in [
                (#"{"customer":"c","items":[{"name":"a","quantity":1}],"note":null}"#, "note"),
                (#"{"customer":"c\u0000","items":[{"name":"a","quantity":1}]}"#, "customer"),
                (#"{"customer":"c","items":[{"name":"a\u0000b","quantity":1}]}"#, "items[0].name"),
                (#"{"customer":"c","items":[{"name":"a","quantity":1}],"note":"x\u0000"}"#, "note"),
                (#"{"customer":"c","items":[{"name":"a","quantity":1}],"rank":null}"#, "rank"),
                (#"{"customer":"c","items":[{"name":"a","quantity":1}],"tags":null}"#, "tags"),
                (#"{"customer":"c","items":[{"name":"a","quantity":1}],"tags":["x",null]}"#, "tags[1]"),
            ] {
                let reply = try await client.send("POST", "/orders", body: body)
                #expect(reply.status == 400, "\(body): \(reply.status) \(reply.text)")
                #expect(reply.header("Content-Type") == "application/problem+json")
                #expect(try reply.json()["field"] as? String == field, "\(body): \(reply.text)")
            }
            let both = try await client.send(
                "POST", "/orders", body: #"{"customer":"c\u0000","items":[{"name":"a","quantity":1}],"note":null}"#)
            #expect(Set((try both.json()["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }) == ["customer", "note"])
            let unknown = try await client.send(
                "POST", "/orders", body: #"{"customer":"c","items":[{"name":"a","quantity":1,"x":null}],"y":"\u0000","z":[null]}"#)
            #expect(unknown.status == 201, "\(unknown.text)")
        }
    }

    @Test func unexpectedErrorsAre500WithoutTheCauseWhichIsLoggedWithTheRequestId() async throws {
        let logs = LogCapture()
        try await TestServer.run(Self.router(), logs: logs) { client in
            let reply = try await client.get("/boom", headers: ["X-Request-Id": "req-boom-1"])
            #expect(reply.status == 500)
            #expect(reply.header("Content-Type") == "application/problem+json")
            #expect(!reply.text.contains("db-7"))
            #expect(!reply.text.contains("password"))
            #expect(reply.text.contains("req-boom-1"))
        }
        let logged = logs.records.first { $0.message == "request failed" }
        #expect(logged?.level == .error)
        #expect(logged?.metadata["request_id"] == "req-boom-1")
        #expect(logged?.metadata["error"]?.contains("db-7.internal") == true)
    }

    @Test func theRequestIDIsEchoedAndInEveryLogLine() async throws {
        let logs = LogCapture()
        try await TestServer.run(Self.router(), logs: logs) { client in
            let given = try await client.get("/things/42", headers: ["X-Request-Id": "abc-123.x:y_z"])
            #expect(given.header("X-Request-Id") == "abc-123.x:y_z")

            let insane = try await client.get("/things/43", headers: ["X-Request-Id": "no spaces\tor tabs"])
            let generated = insane.header("X-Request-Id") ?? ""
            #expect(UUID(uuidString: generated) != nil)

            let none = try await client.get("/health/live")
            #expect(UUID(uuidString: none.header("X-Request-Id") ?? "") != nil)

            _ = try await client.get(
                "/office", headers: ["X-Request-Id": "who-1", "Authorization": "Bearer \(try TestServer.token(.convener))"])
        }
        let access = logs.records.filter { $0.message == "request" }
        let first = access.first { $0.metadata["path"] == "/things/42" }
        #expect(first?.level == .info)
        #expect(first?.metadata["request_id"] == "abc-123.x:y_z")
        #expect(first?.metadata["method"] == "GET")
        #expect(first?.metadata["route"] == "/things/{id}")
        #expect(first?.metadata["status"] == "200")
        #expect(first?.metadata["duration_ms"] != nil)
        #expect(first?.metadata["hb.request.id"] == nil)
        let probe = access.first { $0.metadata["path"] == "/health/live" }
        #expect(probe?.level == .debug)
        let authenticated = access.first { $0.metadata["request_id"] == "who-1" }
        #expect(authenticated?.metadata["subject"] == "tester")
        #expect(authenticated?.metadata["role"] == "convener")
        #expect(authenticated?.metadata.values.contains { $0.contains("eyJ") } == false)
    }

    @Test func metricsShowHTTPRequestsByRouteAndWhatOthersEmit() async throws {
        ServiceMetrics.bootstrap()
        // What EventFlow does: plain swift-metrics, with dimensions.
        Counter(label: "servicekit_test_dead_letters_total", dimensions: [("topic", "t.dlq")]).increment(by: 3)
        Gauge(label: "servicekit_test_consumer_lag", dimensions: [("topic", "t"), ("partition", "0")]).record(17)
        try await TestServer.run(Self.router()) { client in
            _ = try await client.get("/things/7001")
            _ = try await client.get("/things/7002")
            _ = try await client.get("/office")
            let metrics = try await client.get("/metrics").text
            #expect(metrics.contains(#"http_requests_total{method="GET",route="/things/{id}",status="200"}"#))
            #expect(metrics.contains(#"http_requests_total{method="GET",route="/office",status="401"}"#))
            #expect(metrics.contains(#"http_request_duration_seconds_bucket{method="GET",route="/things/{id}",status="200",le="#))
            #expect(!metrics.contains("7001"))
            #expect(metrics.contains(#"servicekit_test_dead_letters_total{topic="t.dlq"} 3"#))
            #expect(metrics.contains(#"servicekit_test_consumer_lag{topic="t",partition="0"} 17"#))
        }
    }

    @Test func readyWhenEveryCheckPasses() async throws {
        let checks = [ReadinessCheck("database") {}, ReadinessCheck("broker") {}]
        try await TestServer.run(Self.router(checks: checks)) { client in
            let reply = try await client.get("/health/ready")
            #expect(reply.status == 200)
            #expect(reply.text == #"{"status":"ready","checks":{"database":"ok","broker":"ok"}}"#)
        }
    }

    @Test func notReadyNamesTheFailingAndSlowChecksInBoundedTime() async throws {
        struct Down: Error {}
        let checks = [
            ReadinessCheck("database") {},
            ReadinessCheck("broker") { throw Down() },
            // Ignores cancellation, like a blocking connect: the probe must not wait for it.
            ReadinessCheck("slow") {
                await withCheckedContinuation { continuation in
                    DispatchQueue.global().asyncAfter(deadline: .now() + 20) { continuation.resume() }
                }
            },
        ]
        try await TestServer.run(Self.router(checks: checks)) { client in
            let reply = try await client.get("/health/ready")
            // "timed out" (not "ok", which it says after 20 s) shows the probe
            // answered without waiting for the slow check; no clock is read.
            #expect(reply.status == 503)
            #expect(reply.header("Content-Type") == "application/problem+json")
            let body = try reply.json()
            #expect(body["detail"] as? String == "Not ready: broker failed, slow timed out.")
            #expect(body["checks"] as? [String: String] == ["database": "ok", "broker": "failed", "slow": "timed out"])
        }
    }
}
