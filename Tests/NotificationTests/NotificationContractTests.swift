import Domain
import EventFlow
import Foundation
import Kafka
import ServiceKit
import Testing
import Yams

@testable import Notification

/// Keeps docs/openapi/notification.yaml and the notification service's part
/// of docs/asyncapi.yaml true (DESIGN.md §3 and §5): against the source
/// (routes, roles, path and query parameters, enums, model shapes, the event
/// types it publishes and the topics it consumes), and against a live
/// notification service (its responses and its published events match the
/// documents). The approach and helpers are the registry's (RegistryContractTests).
@Suite(.serialized) struct NotificationContractTests {
    static let eventPrefix = "cn.gov.fangxian.shuangjian.notification."

    // MARK: - The documents themselves

    @Test func theDocumentParsesDeclaresItsVersionAndEveryRefResolves() throws {
        let documents = ContractDocuments()
        let openapi = try ContractOpenAPI(documents: documents)
        let asyncapi = try ContractAsyncAPI(documents: documents)
        #expect((openapi.root["openapi"] as? String)?.hasPrefix("3.1") == true)
        for url in [openapi.url, asyncapi.url] {
            let (refs, unresolved) = try documents.references(in: url)
            #expect(!refs.isEmpty)
            for problem in unresolved { Issue.record(Comment(rawValue: problem)) }
        }
    }

    /// Identifiers are spelled `personId`, never `personID` (docs/architecture.md).
    @Test func everyIdentifierIsSpelledId() throws {
        let documents = ContractDocuments()
        let url = try ContractOpenAPI(documents: documents).url
        #expect(try documents.misspelledIdentifiers(in: url) == [], "spell them ...Id in \(url.lastPathComponent)")
    }

    /// The checker must catch what it claims to, or every test below passes vacuously.
    @Test func theSchemaCheckerCatchesWhatItShould() throws {
        let openapi = try ContractOpenAPI(documents: ContractDocuments())
        let config = try Self.json(Self.sampleChannel(full: true))
        #expect(openapi.problems(of: config, asSchema: "ChannelConfig").isEmpty)
        guard case .object(var members) = config else { Issue.record("not an object"); return }
        members["secret"] = .string("leaked-secret")
        #expect(openapi.problems(of: .object(members), asSchema: "ChannelConfig").contains { $0.contains("secret is not in the contract") })
        members["secret"] = nil
        members["hasSecret"] = nil
        #expect(openapi.problems(of: .object(members), asSchema: "ChannelConfig").contains { $0.contains("required property hasSecret") })
        members["hasSecret"] = .bool(true)
        members["channel"] = .string("fax")
        #expect(openapi.problems(of: .object(members), asSchema: "ChannelConfig").contains { $0.contains("enum") })
        guard case .object(var inbox) = try Self.json(Self.sampleNotification(full: true)) else { return }
        inbox["class"] = nil
        #expect(openapi.problems(of: .object(inbox), asSchema: "InboxNotification").contains { $0.contains("required property class") })
    }

    // MARK: - OpenAPI against the source

    static let api = ContractServiceAPI(apiFolder: "Services/Notification/API")

    @Test func routesRolesAndParametersMatchTheSource() throws {
        let openapi = try ContractOpenAPI(documents: ContractDocuments())
        let routes = try Self.api.routes()
        #expect(routes.count >= 14, "found only \(routes.count) routes in the source")
        for problem in try Self.api.problems(against: openapi) { Issue.record(Comment(rawValue: problem)) }
        #expect(try ContractSource.queryParameters(in: "Services/Notification/API/DeliveryRoutes.swift", patterns: [ContractSource.queryGet])
            == ["recipient", "event", "state"])
    }

    @Test func documentedEnumsAndShapesAreTheModels() throws {
        let openapi = try ContractOpenAPI(documents: ContractDocuments())
        #expect(openapi.enumeration("NotificationClass") == NotificationClass.allCases.map(\.rawValue))
        #expect(openapi.enumeration("Channel") == Channel.allCases.map(\.rawValue))
        #expect(openapi.enumeration("DeliveryState") == DeliveryState.allCases.map(\.rawValue))
        let kinds = openapi.enumeration("OwnerKind") ?? []
        #expect(kinds == ["person", "unit"] && kinds.allSatisfy { ChannelConfig.OwnerKind(rawValue: $0) != nil })
        // Every member each model encodes is declared, every required one is there.
        for full in [true, false] {
            let samples: [(String, ContractJSON)] = [
                ("InboxNotification", try Self.json(Self.sampleNotification(full: full))),
                ("Delivery", try Self.json(Self.sampleDelivery(.dead, full: full))),
                ("ChannelConfig", try Self.json(Self.sampleChannel(full: full))),
                ("DeliveryCount", try Self.json(DeliveryStore.Count(channel: .sms, state: .sent, count: 3))),
                ("DeliveryAttempt", try Self.json(DeliveryStore.Attempt(
                    attempt: 1, at: Date(), statusCode: full ? 500 : nil, error: full ? "HTTP 500" : nil, durationMs: 12,
                    fallbackDeliveryId: full ? UUID() : nil, fallbackChannel: full ? .sms : nil))),
            ]
            for (schema, value) in samples {
                for problem in openapi.problems(of: value, asSchema: schema) { Issue.record("\(full ? "full" : "minimal") sample: \(problem)") }
            }
        }
        // The request body the handler decodes is the documented one.
        let setting = try #require(((openapi.root["components"] as? [String: Any])?["schemas"] as? [String: Any])?["ChannelSetting"] as? [String: Any])
        #expect(Set((setting["properties"] as? [String: Any] ?? [:]).keys) == ["endpoint", "secret", "enabled", "priority"])
        let secret = (setting["properties"] as? [String: Any])?["secret"] as? [String: Any]
        #expect(secret?["minLength"] as? Int == ChannelRoutes.secretLengths.lowerBound)
        #expect(secret?["maxLength"] as? Int == ChannelRoutes.secretLengths.upperBound)
        let priority = (setting["properties"] as? [String: Any])?["priority"] as? [String: Any]
        #expect(priority?["minimum"] as? Int == ChannelConfig.priorities.lowerBound)
        #expect(priority?["maximum"] as? Int == ChannelConfig.priorities.upperBound)
        #expect(priority?["default"] as? Int == ChannelConfig.defaultPriority)
        #expect(((setting["properties"] as? [String: Any])?["secret"] as? [String: Any])?["writeOnly"] as? Bool == true)
        // The endpoint's documented pattern is the code's.
        let endpoint = (setting["properties"] as? [String: Any])?["endpoint"] as? [String: Any]
        #expect(endpoint?["pattern"] as? String == ChannelEndpoint.pattern.pattern)
        #expect(endpoint?["maxLength"] as? Int == ChannelEndpoint.maxLength)
        for (sample, valid) in [
            ("https://example.com/hook?x=1#f", true), ("http://127.0.0.1:8080/x", true), ("http://localhost/x", true),
            ("http://[::1]:9/", true), ("https://a/%41%zz", false), ("HTTPS://example.com", false), ("http://example.com/", false),
            ("https://exa mple.com", false), ("https://example.com/\u{e9}", false), ("https://%41/", false), ("https://", false),
            ("https://example.com/hook\n", false),
        ] {
            #expect(ChannelEndpoint.pattern.matches(sample) == valid, "\(sample.debugDescription)")
        }
    }

    // MARK: - AsyncAPI against the source

    static func sampleNotification(full: Bool) -> InboxNotification {
        let now = Date()
        return InboxNotification(
            id: UUID(), eventId: UUID().uuidString.lowercased(), eventType: EventType.letterIssued, recipientId: UUID(),
            unitId: full ? "market-regulation-bureau" : nil, notificationClass: full ? .letter : .info, title: "督办函", body: "请及时签收。",
            createdAt: now, readAt: full ? now : nil, acknowledgedAt: full ? now : nil, acknowledgedBy: full ? UUID().uuidString.lowercased() : nil,
            escalateAt: full ? now : nil, escalatedAt: full ? now : nil)
    }

    static func sampleDelivery(_ state: DeliveryState, full: Bool) -> Delivery {
        let now = Date()
        return Delivery(
            id: UUID(), notificationId: UUID(), channel: .webhook, idempotencyKey: "e:p", state: state, attempts: 2,
            nextAttemptAt: now, lastError: full ? "HTTP 500" : nil, sentAt: full && state == .sent ? now : nil, createdAt: now,
            fallbackFromId: full ? UUID() : nil, fallbackReason: full ? "sms delivery … is dead: HTTP 400" : nil)
    }

    static func sampleChannel(full: Bool) -> ChannelConfig {
        ChannelConfig(id: UUID(), ownerKind: full ? .person : .unit, ownerId: "education-bureau", channel: .dingtalk,
                      endpoint: "https://oapi.dingtalk.com/robot/send?access_token=x", hasSecret: full, enabled: true,
                      priority: full ? 10 : 100, updatedAt: Date())
    }

    static func json(_ value: some Encodable) throws -> ContractJSON {
        try ContractJSON.parse(EventJSON.encoder.encode(value))
    }

    /// Every event the notification service publishes, built as its code builds them.
    static func builtEvents(full: Bool) throws -> [OutboxEvent] {
        var events: [OutboxEvent] = []
        for state in [DeliveryState.sent, .failed, .dead] {
            let delivery = sampleDelivery(state, full: full)
            events.append(try DeliveryEventPayload(
                delivery: delivery, notificationId: delivery.notificationId, eventId: "event-1", recipientId: UUID(), attempt: 2,
                error: state == .sent || !full ? nil : "HTTP 500").outboxEvent(occurredAt: Date()))
        }
        // As InboxRoutes (acknowledge) and EscalationScanner.scanOnce build theirs.
        let notification = sampleNotification(full: full)
        events.append(try NotificationEvent.acknowledged(notification, at: Date()))
        events.append(try NotificationEvent.escalated(notification, to: full ? [UUID(), UUID()] : [], at: Date()))
        // As DeliveryRoutes (resend) and ChannelRoutes (PUT, DELETE) build theirs.
        let requeued = sampleDelivery(.pending, full: full)
        events.append(try DeliveryEventPayload(requeued: DeliveryStore.Requeued(
            delivery: requeued, eventId: "event-1", recipientId: UUID())).outboxEvent(type: EventType.deliveryRequeued, occurredAt: Date()))
        // As DeliveryRecorder builds a fallback's.
        let dead = sampleDelivery(.dead, full: full)
        var next = sampleDelivery(.pending, full: true)
        next.channel = .sms
        events.append(try DeliveryFallbackPayload(
            delivery: next, notificationId: dead.notificationId, eventId: "event-1", recipientId: UUID(),
            fromDeliveryId: dead.id, fromChannel: dead.channel, reason: "webhook delivery … is dead: HTTP 404"
        ).outboxEvent(occurredAt: Date()))
        let channel = sampleChannel(full: full)
        events.append(try ChannelEvent.configured(channel))
        events.append(try ChannelEvent.disabled(channel))
        return events
    }

    @Test func everyPublishedEventTypeIsAMessageOnItsTopicsChannel() throws {
        let asyncapi = try ContractAsyncAPI(documents: ContractDocuments())
        let sources = try ContractSource.allSwiftFiles(under: "Services/Notification")
        // The catalog's types on the deliveries topic, the types built here, the types documented: the same.
        let published = Set(EventType.published(on: Topic.notificationDeliveries))
        #expect(Set(try Self.builtEvents(full: true).map(\.type)) == published)
        let documented = try asyncapi.messageNames(prefix: Self.eventPrefix)
        #expect(documented == published, "documented but not published: \(documented.subtracting(published).sorted()); published but not documented: \(published.subtracting(documented).sorted())")
        // Every OutboxEvent the service writes goes to the deliveries topic.
        var topics: Set<String> = []
        for file in sources {
            let text = try ContractFiles.text(file)
            for match in text.matches(of: /OutboxEvent\(\s*topic: ([A-Za-z.]+)/) { topics.insert(String(match.1)) }
        }
        #expect(topics == ["Topic.notificationDeliveries"], "OutboxEvent topics in the source: \(topics.sorted())")

        for full in [true, false] {
            let events = try Self.builtEvents(full: full)
            #expect(Set(events.map(\.type)) == published)
            for event in events {
                #expect(event.topic == Topic.notificationDeliveries)
                for problem in try asyncapi.problems(
                    topic: event.topic, type: event.type, key: event.aggregateId, headers: nil, subject: event.subject, payload: event.payload)
                {
                    Issue.record("\(full ? "full" : "minimal") sample: \(problem)")
                }
            }
        }
    }

    /// The topics the `notification` group reads have channels with a
    /// `receive` operation tagged `notification` listing every message the
    /// rules route; the planned scheduling letter's payload is the catalog's.
    @Test func consumedTopicsAndRoutedTypesAreDocumentedAsReceived() throws {
        let asyncapi = try ContractAsyncAPI(documents: ContractDocuments())
        var received: Set<String> = []
        for topic in NotificationHandlers.topics {
            guard let (key, _) = asyncapi.channel(topic: topic) else {
                Issue.record("the notification group reads \(topic), which has no channel in docs/asyncapi.yaml")
                continue
            }
            let operations = asyncapi.operations("receive", onChannel: key).filter { $0.tags.contains("notification") }
            #expect(operations.count == 1, "\(topic): \(operations.count) receive operations tagged notification")
            let messages = try asyncapi.messages(ofChannel: key)
            let listed = operations.first?.messages ?? []
            #expect(listed == Set(messages.keys), "\(topic): the receive operation lists \(listed.sorted()) of \(messages.keys.sorted())")
            for (messageKey, message) in messages where listed.contains(messageKey) {
                if let name = message["name"] as? String { received.insert(name) }
            }
        }
        let routed = Set(try RoutingRules.bundled().eventTypes)
        #expect(routed.isSubset(of: received), "routed but not documented as received: \(routed.subtracting(received).sorted())")
        #expect(Set(EventType.registry).isSubset(of: received))

        let letters = try #require(asyncapi.channel(topic: Topic.schedulingLetters))
        // Published by the scheduling service; SchedulingContractTests keeps its side true.
        #expect(asyncapi.operations("send", onChannel: letters.key).count == 1)
        let letter = try #require(try asyncapi.message(type: EventType.letterIssued, inChannel: letters.key))
        let payload = try asyncapi.documents.dereference(try #require(letter.message["payload"]), in: asyncapi.url).node
        let inner = try asyncapi.documents.dereference(
            try #require((payload["properties"] as? [String: Any])?["letter"]), in: asyncapi.url).node
        #expect(Set((inner["properties"] as? [String: Any] ?? [:]).keys) == Set(EventFields.letterPaths))
        let sample: [String: Any] = ["letter": [
            "id": UUID().uuidString, "kind": "supervision", "number": "房双减督〔2026〕3号", "unitId": "market-regulation-bureau",
            "subject": "关于校外培训广告治理的督办函", "replyDue": "2026-10-09",
        ]]
        let problems = asyncapi.documents.check(try ContractJSON.from(sample), against: try #require(letter.message["payload"]), in: asyncapi.url)
        #expect(problems.isEmpty, "\(problems)")
    }

    // MARK: - Against a live notification service

    static let office = Principal(subject: "office-1", role: .office)

    /// Sends a request, checks the status, and checks the response (and, for
    /// a request meant to succeed, the request body) against the document.
    struct Client {
        let port: Int
        let world: ServiceWorld
        let openapi: ContractOpenAPI

        @discardableResult
        func call(
            _ method: String, _ template: String, _ path: String? = nil, as who: Principal? = NotificationContractTests.office,
            json: Any? = nil, expect status: Int, sourceLocation: SourceLocation = #_sourceLocation
        ) async throws -> ContractResponse {
            if let json, (200..<300).contains(status) {
                for problem in try openapi.requestProblems(method, template, body: json) { Issue.record("\(problem)", sourceLocation: sourceLocation) }
            }
            let response = try await ContractResponse.send(port: port, method, path ?? template, token: try who.map(world.token), json: json)
            #expect(response.status == status, "\(method) \(path ?? template): \(response.status) \(response.text.prefix(400))",
                    sourceLocation: sourceLocation)
            for problem in try openapi.problems(method, template, response) { Issue.record("\(problem)", sourceLocation: sourceLocation) }
            return response
        }
    }

    @Test func liveResponsesAndEventsMatchTheDocuments() async throws {
        let world = try await ServiceWorld.start()
        defer { world.stop() }
        try await world.launch("registry")
        // Two attempts in all: a failing endpoint is dead within seconds.
        try await world.launch("notification", environment: ["SJ_NOTIFICATION_MAX_ATTEMPTS": "2"])
        try await HTTPSink.with { sink in
            let openapi = try ContractOpenAPI(documents: ContractDocuments())
            let client = Client(port: world.ports["notification"] ?? 0, world: world, openapi: openapi)
            let ok = try await world.createPerson(name: "王芳", unit: "culture-tourism-bureau")
            let failing = try await world.createPerson(name: "李明", unit: "finance-bureau")
            let okToken = Principal(subject: ok, role: .unit, unitId: "culture-tourism-bureau")
            sink.script("/fail", Array(repeating: HTTPSink.Reply(status: 500, body: "down"), count: 6))

            // Channels: PUT (the secret never comes back), bad ones, GET, DELETE.
            let template = "/v1/channels/{ownerKind}/{ownerId}/{channel}"
            let put = try await client.call("PUT", template, "/v1/channels/person/\(ok)/webhook",
                                            json: ["endpoint": sink.url("/ok"), "secret": "webhook-secret-123456"], expect: 200)
            #expect(put.json["secret"] == nil && put.json["hasSecret"] as? Bool == true && !put.text.contains("webhook-secret-123456"))
            try await client.call("PUT", template, "/v1/channels/person/\(failing)/webhook", as: Principal(subject: "x", role: .unit, unitId: "finance-bureau"),
                                  json: ["endpoint": sink.url("/fail"), "enabled": true], expect: 200)
            try await client.call("PUT", template, "/v1/channels/unit/finance-bureau/wecom",
                                  json: ["endpoint": sink.url("/wecom?key=k")], expect: 200)
            let invalid = try await client.call("PUT", template, "/v1/channels/person/\(ok)/dingtalk",
                                                json: ["endpoint": "https://example.com/robot", "secret": "short"], expect: 422)
            #expect(invalid.headers["content-type"]?.hasPrefix("application/problem+json") == true)
            #expect(Set((invalid.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }) == ["endpoint", "secret"])
            try await client.call("PUT", template, "/v1/channels/person/\(UUID().uuidString)/webhook", json: ["endpoint": "https://example.com/x"], expect: 422)
            try await client.call("PUT", template, "/v1/channels/group/x/webhook", json: ["endpoint": "https://example.com/x"], expect: 404)
            try await client.call("PUT", template, "/v1/channels/person/\(ok)/webhook", json: ["secret": "webhook-secret-123456"], expect: 400)
            try await client.call("PUT", template, "/v1/channels/person/\(ok)/webhook", as: Principal(subject: "x", role: .unit, unitId: "finance-bureau"),
                                  json: ["endpoint": "https://example.com/x"], expect: 403)
            let all = try await client.call("GET", "/v1/channels", expect: 200)
            #expect(all.items.count == 3 && !all.text.contains("webhook-secret-123456"))
            let mine = try await client.call("GET", "/v1/channels", "/v1/channels?ownerKind=person&ownerId=\(ok)", as: Principal(subject: "ops-1", role: .ops), expect: 200)
            #expect(mine.items.count == 1)
            let unitView = try await client.call("GET", "/v1/channels", as: Principal(subject: "x", role: .unit, unitId: "finance-bureau"), expect: 200)
            #expect(Set(unitView.items.compactMap { $0["ownerId"] as? String }) == [failing.lowercased(), "finance-bureau"])
            try await client.call("GET", "/v1/channels", "/v1/channels?ownerKind=group", expect: 400)
            try await client.call("DELETE", template, "/v1/channels/unit/finance-bureau/wecom", expect: 204)
            try await client.call("DELETE", template, "/v1/channels/unit/finance-bureau/sms", expect: 404)
            let disabled = try await client.call("GET", "/v1/channels", "/v1/channels?ownerKind=unit", expect: 200)
            #expect(disabled.items.first?["enabled"] as? Bool == false)

            // Notifications: a liaison change for each; one delivery is sent, the other dies.
            for (unit, person) in [("culture-tourism-bureau", ok), ("finance-bureau", failing)] {
                let changed = try await world.request("registry", "PUT", "/v1/units/\(unit)/liaison", token: try world.token(Self.office),
                                                      json: ["personId": person])
                #expect(changed.status == 200, "\(changed.text)")
            }
            #expect(try await eventually(timeout: .seconds(60)) { !sink.requests(to: "/ok").isEmpty }, "a delivery reaches /ok")
            #expect(try await eventually(timeout: .seconds(60)) {
                let dead = try await ContractResponse.send(port: client.port, "GET", "/v1/deliveries?recipient=\(failing)&state=dead",
                                                           token: try world.token(Self.office))
                return !dead.items.isEmpty
            }, "the failing delivery dies")

            // The inbox: list, unread, read, 签收 (twice), someone else's, no person.
            let inbox = try await client.call("GET", "/v1/inbox", as: okToken, expect: 200)
            let item = try #require(inbox.items.first)
            let id = try #require(item["id"] as? String)
            let eventId = try #require(item["eventId"] as? String)
            try await client.call("GET", "/v1/inbox", "/v1/inbox?unread=true", as: okToken, expect: 200)
            let read = try await client.call("POST", "/v1/inbox/{id}/read", "/v1/inbox/\(id)/read", as: okToken, expect: 200)
            #expect(read.json["readAt"] != nil)
            let acknowledged = try await client.call("POST", "/v1/inbox/{id}/acknowledge", "/v1/inbox/\(id)/acknowledge", as: okToken, expect: 200)
            #expect(acknowledged.json["acknowledgedBy"] as? String == ok)
            try await client.call("POST", "/v1/inbox/{id}/acknowledge", "/v1/inbox/\(id)/acknowledge", as: okToken, expect: 200)
            try await client.call("POST", "/v1/inbox/{id}/read", "/v1/inbox/\(id)/read",
                                  as: Principal(subject: failing, role: .unit, unitId: "finance-bureau"), expect: 404)
            try await client.call("POST", "/v1/inbox/{id}/read", "/v1/inbox/not-a-uuid/read", as: okToken, expect: 404)
            try await client.call("GET", "/v1/inbox", as: Self.office, expect: 403)
            try await client.call("GET", "/v1/inbox", as: nil, expect: 401)

            // Deliveries: queries, counts, attempts, resend.
            let sent = try await client.call("GET", "/v1/deliveries", "/v1/deliveries?recipient=\(ok)&state=sent", expect: 200)
            let sentId = try #require(sent.items.first?["id"] as? String)
            try await client.call("GET", "/v1/deliveries", "/v1/deliveries?event=\(eventId)", as: Principal(subject: "ops-1", role: .ops), expect: 200)
            try await client.call("GET", "/v1/deliveries", expect: 200)
            let bad = try await client.call("GET", "/v1/deliveries", "/v1/deliveries?recipient=nobody&state=lost", expect: 400)
            #expect((bad.json["errors"] as? [Any])?.count == 2)
            try await client.call("GET", "/v1/deliveries", as: okToken, expect: 403)
            let counts = try await client.call("GET", "/v1/deliveries/counts", expect: 200)
            #expect(counts.items.contains { $0["state"] as? String == "dead" })
            let dead = try await client.call("GET", "/v1/deliveries", "/v1/deliveries?recipient=\(failing)&state=dead", expect: 200)
            let deadId = try #require(dead.items.first?["id"] as? String)
            let attempts = try await client.call("GET", "/v1/deliveries/{id}/attempts", "/v1/deliveries/\(deadId)/attempts", expect: 200)
            #expect(attempts.items.count == 2 && attempts.items.allSatisfy { $0["statusCode"] as? Int == 500 })
            try await client.call("GET", "/v1/deliveries/{id}/attempts", "/v1/deliveries/\(sentId)/attempts", expect: 200)
            try await client.call("POST", "/v1/deliveries/{id}/resend", "/v1/deliveries/\(sentId)/resend", expect: 409)
            try await client.call("POST", "/v1/deliveries/{id}/resend", "/v1/deliveries/\(deadId)/resend", as: Principal(subject: "ops-1", role: .ops), expect: 403)
            let resent = try await client.call("POST", "/v1/deliveries/{id}/resend", "/v1/deliveries/\(deadId)/resend", expect: 200)
            #expect(resent.json["state"] as? String == "pending")

            // Health and metrics need no token.
            try await client.call("GET", "/health/live", as: nil, expect: 200)
            try await client.call("GET", "/health/ready", as: nil, expect: 200)
            let metrics = try await client.call("GET", "/metrics", as: nil, expect: 200)
            #expect(metrics.text.contains("http_requests_total"))

            // Roles, as documented, for every /v1 operation (bodies `{}`: nothing is changed).
            let principals: [(role: String, who: Principal)] = [
                ("office", Principal(subject: UUID().uuidString, role: .office)),
                ("convener", Principal(subject: UUID().uuidString, role: .convener)),
                ("county-system", Principal(subject: UUID().uuidString, role: .countySystem)),
                ("ops", Principal(subject: UUID().uuidString, role: .ops)),
                ("unit", Principal(subject: UUID().uuidString, role: .unit, unitId: "education-bureau")),
            ]
            var checked = 0
            for (method, template, operation) in openapi.operations where template.hasPrefix("/v1/") {
                let path = template.replacingOccurrences(of: "{ownerKind}/{ownerId}/{channel}", with: "unit/education-bureau/sms")
                    .replacingOccurrences(of: "{id}", with: UUID().uuidString)
                let body: Any? = operation["requestBody"] == nil ? nil : [String: Any]()
                let roles = Set((operation["x-roles"] as? [Any] ?? []).map { "\($0)" })
                let ownUnit = operation["x-own-unit"] as? Bool ?? false
                let name = "\(method.uppercased()) \(template)"
                let anonymous = try await ContractResponse.send(port: client.port, method.uppercased(), path, token: nil, json: body)
                #expect(anonymous.status == 401, "\(name) without a token: \(anonymous.status)")
                for problem in try openapi.problems(method, template, anonymous) { Issue.record("\(problem)") }
                for (role, who) in principals {
                    let response = try await ContractResponse.send(port: client.port, method.uppercased(), path, token: try world.token(who), json: body)
                    for problem in try openapi.problems(method, template, response) { Issue.record("\(problem)") }
                    if roles.contains(role) || (role == "unit" && ownUnit) {
                        #expect(response.status != 401 && response.status != 403, "\(name) as \(role) (allowed): \(response.status) \(response.text.prefix(200))")
                    } else {
                        #expect(response.status == 403, "\(name) as \(role) (not allowed): \(response.status) \(response.text.prefix(200))")
                    }
                }
                if ownUnit {
                    let other = try await ContractResponse.send(
                        port: client.port, method.uppercased(), path,
                        token: try world.token(Principal(subject: "x", role: .unit, unitId: "finance-bureau")), json: body)
                    #expect(other.status == 403 || (method == "put" && other.status == 400), "\(name) as another unit: \(other.status) \(other.text.prefix(200))")
                }
                checked += 1
            }
            #expect(checked == 11)

            // Every length and pattern rule of a channel's body is enforced, naming the member.
            let base: [String: Any] = ["endpoint": sink.url("/ok"), "secret": "webhook-secret-123456", "enabled": true]
            var probed: Set<String> = []
            for violation in try openapi.violations("put", template, base: base) {
                let response = try await ContractResponse.send(
                    port: client.port, "PUT", "/v1/channels/unit/culture-tourism-bureau/webhook", token: try world.token(Self.office),
                    json: violation.body)
                let fields = (response.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
                #expect([400, 422].contains(response.status) && fields.contains(violation.field),
                        "PUT \(template) with \(violation): \(response.status) \(response.text.prefix(300))")
                probed.insert(violation.field)
            }
            #expect(probed == ["endpoint", "secret"])

            // A method a path does not have: 405 with the documented methods in Allow.
            for (path, item) in openapi.paths {
                let documented = ContractOpenAPI.methods.filter { item[$0] != nil }
                let concrete = path.replacingOccurrences(of: "{ownerKind}/{ownerId}/{channel}", with: "unit/education-bureau/sms")
                    .replacingOccurrences(of: "{id}", with: UUID().uuidString)
                for method in ["GET", "PUT", "POST", "DELETE", "PATCH"] where !documented.contains(method.lowercased()) {
                    let response = try await ContractResponse.send(port: client.port, method, concrete, token: try world.token(Self.office))
                    #expect(response.status == 405 && response.headers["allow"] == documented.map { $0.uppercased() }.sorted().joined(separator: ", "),
                            "\(method) \(path): \(response.status) Allow \(response.headers["allow"] ?? "none")")
                }
            }
        }

        // The events it published, read back from the private broker.
        let asyncapi = try ContractAsyncAPI(documents: ContractDocuments())
        let wanted: Set<String> = [EventType.deliverySent, EventType.deliveryFailed, EventType.deliveryDead, EventType.notificationAcknowledged]
        var configuration = KafkaConsumerConfiguration(
            brokers: world.brokers, groupId: "notification-contract-\(UUID().uuidString)", topics: [Topic.notificationDeliveries])
        configuration.properties["session.timeout.ms"] = "6000"
        let consumer = try KafkaConsumer(configuration: configuration, logger: ServiceWorld.logger)
        var messages: [KafkaMessage] = []
        var seen: Set<String> = []
        let deadline = ContinuousClock.now + .seconds(60)
        while !wanted.isSubset(of: seen) && ContinuousClock.now < deadline {
            guard let batch = try await consumer.nextBatch() else { break }
            for message in batch {
                messages.append(message)
                if let type = message.header("ce_type").flatMap(\.value) { seen.insert(String(decoding: type, as: UTF8.self)) }
            }
        }
        await consumer.close()
        #expect(wanted.isSubset(of: seen), "types not seen on the broker: \(wanted.subtracting(seen).sorted())")
        var reported: Set<String> = []
        for message in messages {
            var headers: [String: String] = [:]
            for header in message.headers { headers[header.key] = header.value.map { String(decoding: $0, as: UTF8.self) } ?? "" }
            for problem in try asyncapi.problems(
                topic: message.topic, type: headers["ce_type"] ?? "(no ce_type)", key: message.key.map { String(decoding: $0, as: UTF8.self) } ?? "",
                headers: headers, subject: headers["ce_subject"], payload: message.value ?? [])
            where reported.insert(problem).inserted {
                Issue.record("\(problem)")
            }
        }
    }
}
