import Domain
import Foundation
import Logging
import ServiceLifecycle
import Testing
@testable import Notification

/// The delivery worker against a real database and an in-process HTTP sink.
/// Time moves with the injected clock, never by sleeping through backoff.
@Suite struct DeliveryWorkerTests {
    @Test func retriesUntilSentWithOneKey() async throws {
        try await DeliveryDatabase.with { db in
            try await HTTPSink.with { sink in
                sink.script("/hook", [.init(status: 500), .init(status: 500), .init(status: 200)])
                let clock = DeliveryTestClock()
                let (_, delivery, _) = try await db.addRecipient(channel: .webhook, endpoint: sink.url("/hook"), secret: "whsec-x1", at: clock.now())
                let worker = db.worker(clock: clock)

                #expect(try await worker.processDue() == 1)
                var row = try await db.delivery(delivery)
                #expect(row.state == "failed")
                #expect(row.attempts == 1)
                #expect(row.leaseUntil == nil)
                // Backoff counts from the end of the attempt: the injected start
                // plus however long the real HTTP call took on this machine.
                let sendSeconds = Double(try await db.attemptDurationMs(delivery, attempt: 1)) / 1000
                let wait = row.nextAttemptAt.timeIntervalSince(clock.now()) - sendSeconds
                #expect(wait >= 2.49 && wait <= 5.01, "first backoff ~5 s with jitter, got \(wait)")
                // Not due yet: nothing happens.
                #expect(try await worker.processDue() == 0)

                // To the retry's due time as recorded (it includes the real
                // send's duration, which a loaded machine stretches), not a
                // fixed step that assumes the send was quick.
                clock.advance(seconds: row.nextAttemptAt.timeIntervalSince(clock.now()) + 0.01)
                #expect(try await worker.processDue() == 1)
                row = try await db.delivery(delivery)
                #expect(row.state == "failed")
                #expect(row.attempts == 2)

                clock.advance(seconds: row.nextAttemptAt.timeIntervalSince(clock.now()) + 0.01)
                #expect(try await worker.processDue() == 1)
                row = try await db.delivery(delivery)
                #expect(row.state == "sent")
                #expect(row.attempts == 3)
                #expect(row.lastError == nil)

                clock.advance(seconds: 3600)
                #expect(try await worker.processDue() == 0)

                let requests = sink.requests(to: "/hook")
                #expect(requests.count == 3)
                #expect(Set(requests.compactMap { $0.header("Idempotency-Key") }).count == 1)
                let attempts = try await db.attempts(delivery)
                #expect(attempts.map(\.attempt) == [1, 2, 3])
                #expect(attempts.map(\.status) == [500, 500, 200])
                let events = try await db.events(delivery)
                #expect(events.map(\.type) == [EventType.deliveryFailed, EventType.deliveryFailed, EventType.deliverySent])
                let payload = try #require(try JSONSerialization.jsonObject(with: Data(events[2].payload.utf8)) as? [String: Any])
                #expect(payload["attempt"] as? Int == 3)
                #expect(payload["error"] == nil)
                #expect((payload["delivery"] as? [String: Any])?["state"] as? String == "sent")
                #expect((events[0].payload).contains("HTTP 500"))
            }
        }
    }

    @Test func aBadRequestIsDeadAtOnce() async throws {
        try await DeliveryDatabase.with { db in
            try await HTTPSink.with { sink in
                sink.script("/hook", [.init(status: 400, body: #"{"error":"unknown recipient"}"#)])
                let clock = DeliveryTestClock()
                let (_, delivery, _) = try await db.addRecipient(channel: .webhook, endpoint: sink.url("/hook"), at: clock.now())
                let worker = db.worker(clock: clock)
                #expect(try await worker.processDue() == 1)
                let row = try await db.delivery(delivery)
                #expect(row.state == "dead")
                #expect(row.attempts == 1)
                #expect(row.lastError?.contains("HTTP 400") == true)
                clock.advance(seconds: 3600)
                #expect(try await worker.processDue() == 0)
                #expect(sink.requests.count == 1)
                #expect(try await db.events(delivery).map(\.type) == [EventType.deliveryDead])
            }
        }
    }

    /// A redirect is an answer, not a way elsewhere: the delivery is dead at
    /// once, and its attempt says why.
    @Test func aRedirectingEndpointIsDeadAndSaysWhy() async throws {
        try await DeliveryDatabase.with { db in
            try await HTTPSink.with { sink in
                sink.script("/hook", [.init(status: 307, body: "", headers: ["Location": sink.url("/stolen")])])
                let clock = DeliveryTestClock()
                let (_, delivery, _) = try await db.addRecipient(channel: .webhook, endpoint: sink.url("/hook"), secret: "webhook-secret-0123", at: clock.now())
                #expect(try await db.worker(clock: clock).processDue() == 1)
                let row = try await db.delivery(delivery)
                #expect(row.state == "dead")
                #expect(row.lastError == "HTTP 307: redirects are not followed (to http://127.0.0.1)")
                let attempts = try await db.attempts(delivery)
                #expect(attempts.count == 1 && attempts[0].status == 307 && attempts[0].error == row.lastError)
                // The later marker arrives; the redirect's target never got the signed body.
                let marker = try await db.addRecipient(channel: .webhook, endpoint: sink.url("/marker"), at: clock.now())
                #expect(try await db.worker(clock: clock).processDue() == 1)
                #expect(try await db.delivery(marker.delivery).state == "sent")
                #expect(sink.requests(to: "/stolen").isEmpty)
            }
        }
    }

    /// With private endpoints not allowed, a host that resolves to loopback
    /// is refused at send time (its DNS may have changed since it was
    /// configured): dead, with the reason, and nothing sent.
    @Test func aPrivateAddressAtSendTimeIsDead() async throws {
        try await DeliveryDatabase.with { db in
            try await HTTPSink.with { sink in
                let port = try #require(URL(string: sink.base)?.port)
                let clock = DeliveryTestClock()
                let (_, delivery, _) = try await db.addRecipient(channel: .webhook, endpoint: "http://localhost:\(port)/hook", at: clock.now())
                #expect(try await db.worker(clock: clock, allowPrivateEndpoints: false).processDue() == 1)
                let row = try await db.delivery(delivery)
                #expect(row.state == "dead")
                #expect(row.lastError == "not a public address: localhost resolves to 127.0.0.1, which is loopback")
                #expect(try await db.events(delivery).map(\.type) == [EventType.deliveryDead])
                let marker = try await db.addRecipient(channel: .webhook, endpoint: sink.url("/marker"), at: clock.now())
                #expect(try await db.worker(clock: clock).processDue() == 1)
                #expect(try await db.delivery(marker.delivery).state == "sent")
                #expect(sink.requests(to: "/hook").isEmpty)
            }
        }
    }

    @Test func theLastAttemptMakesItDead() async throws {
        try await DeliveryDatabase.with { db in
            try await HTTPSink.with { sink in
                sink.script("/hook", Array(repeating: .init(status: 503), count: 3))
                let clock = DeliveryTestClock()
                let (_, delivery, _) = try await db.addRecipient(channel: .webhook, endpoint: sink.url("/hook"), at: clock.now())
                let worker = db.worker(clock: clock) { $0.retry.maxAttempts = 3 }
                for _ in 0..<3 {
                    #expect(try await worker.processDue() == 1)
                    clock.advance(seconds: 700)
                }
                #expect(try await db.delivery(delivery).state == "dead")
                #expect(try await db.events(delivery).map(\.type) == [EventType.deliveryFailed, EventType.deliveryFailed, EventType.deliveryDead])
                #expect(try await worker.processDue() == 0)
            }
        }
    }

    @Test func aRedeliveredEventIsNotSentAgain() async throws {
        try await DeliveryDatabase.with { db in
            try await HTTPSink.with { sink in
                let clock = DeliveryTestClock()
                let person = try await db.addPerson()
                try await db.addConfig(owner: person.uuidString.lowercased(), channel: .webhook, endpoint: sink.url("/hook"))
                let notification = try await db.addNotification(recipient: person, at: clock.now())
                let first = try await db.addDelivery(notification: notification.id, eventId: notification.eventId, recipient: person, channel: .webhook, at: clock.now())
                #expect(first != nil)
                let worker = db.worker(clock: clock)
                #expect(try await worker.processDue() == 1)
                // The same event again (a replay): its key is taken, no new delivery.
                let again = try await db.addDelivery(notification: notification.id, eventId: notification.eventId, recipient: person, channel: .webhook, at: clock.now())
                #expect(again == nil)
                clock.advance(seconds: 60)
                #expect(try await worker.processDue() == 0)
                #expect(sink.requests.count == 1)
            }
        }
    }

    @Test func aCrashBeforeRecordingResendsWithTheSameKey() async throws {
        try await DeliveryDatabase.with { db in
            try await HTTPSink.with { sink in
                let clock = DeliveryTestClock()
                let (_, delivery, _) = try await db.addRecipient(channel: .webhook, endpoint: sink.url("/hook"), at: clock.now())
                // A worker claims and sends, then "crashes" before recording.
                let claimer = DeliveryClaimer(pool: db.pool, configuration: DeliveryWorkerConfiguration())
                let claimed = try await claimer.claim(limit: 10, now: clock.now())
                #expect(claimed.count == 1)
                let outcome = await WebhookSender(http: db.httpClient())
                    .send(claimed[0].message, to: ChannelTarget(endpoint: try #require(claimed[0].endpoint), secret: nil), now: clock.now())
                #expect(outcome == .sent(statusCode: 200))

                let worker = db.worker(clock: clock)
                // Leased: another worker leaves it alone.
                #expect(try await worker.processDue() == 0)
                clock.advance(seconds: 61)
                #expect(try await worker.processDue() == 1)
                #expect(try await db.delivery(delivery).state == "sent")
                let keys = sink.requests.compactMap { $0.header("Idempotency-Key") }
                #expect(keys.count == 2)
                #expect(Set(keys).count == 1)
                // The stale worker's late record is refused: the lease is no longer its.
                let late = try await DeliveryRecorder(pool: db.pool, retry: RetryPolicy())
                    .record(claimed[0], outcome: outcome, startedAt: clock.now(), duration: .milliseconds(5))
                #expect(late == nil)
                #expect(try await db.attempts(delivery).count == 1)
            }
        }
    }

    @Test func theRobotRateLimitPushesThe21stToTheNextMinute() async throws {
        try await DeliveryDatabase.with { db in
            try await HTTPSink.with { sink in
                // Mid-minute, so "the next minute" is unambiguous.
                let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 60).rounded(.down) * 60 + 20)
                let clock = DeliveryTestClock(start)
                let robot = sink.url("/robot/send?access_token=shared")
                let unit = "unit-" + UUID().uuidString.prefix(8)
                try await db.addConfig(owner: unit, kind: "unit", channel: .dingtalk, endpoint: robot, secret: "SECrobot")
                var deliveries: [UUID] = []
                for index in 0..<21 {
                    let person = try await db.addPerson(unit: unit, name: "成员\(index)")
                    let notification = try await db.addNotification(recipient: person, at: clock.now())
                    deliveries.append(try #require(try await db.addDelivery(
                        notification: notification.id, eventId: notification.eventId, recipient: person, channel: .dingtalk,
                        at: clock.now())))
                    // Each one a millisecond later, so the 21st is the last claimed.
                    clock.advance(seconds: 0.001)
                }
                let worker = db.worker(clock: clock)
                #expect(try await worker.processDue() == 20)
                #expect(sink.requests.count == 20)
                let last = try await db.delivery(deliveries[20])
                #expect(last.state == "pending")
                #expect(last.attempts == 0, "a rate-limited delivery does not count an attempt")
                #expect(last.nextAttemptAt == EndpointRateLimit.minute(of: start).addingTimeInterval(60))
                #expect(try await db.attempts(deliveries[20]).isEmpty)
                #expect(try await db.events(deliveries[20]).isEmpty)

                clock.advance(seconds: 20)
                #expect(try await worker.processDue() == 0)
                clock.advance(seconds: 30)
                #expect(try await worker.processDue() == 1)
                #expect(sink.requests.count == 21)
                #expect(try await db.delivery(deliveries[20]).state == "sent")
            }
        }
    }

    @Test func aSendThatOutlastsTheTimeoutFailsAsTimedOut() async throws {
        try await DeliveryDatabase.with { db in
            try await HTTPSink.with { sink in
                sink.script("/hang", [.init(held: true)])
                let clock = DeliveryTestClock()
                let worker = db.worker(clock: clock, logs: LogCapture(), sendTimeout: .milliseconds(200))
                let hanging = try await db.addRecipient(channel: .webhook, endpoint: sink.url("/hang"), at: clock.now())
                #expect(try await worker.processDue() == 1)
                let delivery = try await db.delivery(hanging.delivery)
                #expect(delivery.state == "failed")
                #expect(delivery.lastError == "timed out")
                sink.release("/hang")
            }
        }
    }

    @Test func aHangingEndpointDoesNotDelayAnother() async throws {
        try await DeliveryDatabase.with { db in
            try await HTTPSink.with { sink in
                // /hang answers only when released: the fast endpoint must be
                // served while it is still in flight, however slow the machine.
                sink.script("/hang", [.init(held: true)])
                let clock = DeliveryTestClock()
                let logs = LogCapture()
                let worker = db.worker(clock: clock, logs: logs, sendTimeout: .seconds(600))
                var logger = Logger(label: "group")
                logger.logLevel = .critical
                let group = ServiceGroup(configuration: .init(services: [worker], logger: logger))
                try await withThrowingTaskGroup(of: Void.self) { tasks in
                    tasks.addTask { try await group.run() }
                    // Created while the worker runs: NOTIFY (or the poll) wakes it.
                    let hanging = try await db.addRecipient(channel: .webhook, endpoint: sink.url("/hang"), at: clock.now())
                    let hangArrived = try await eventually(timeout: .seconds(60)) { !sink.requests(to: "/hang").isEmpty }
                    #expect(hangArrived)
                    let fast = try await db.addRecipient(channel: .webhook, endpoint: sink.url("/fast"), at: clock.now())
                    let fastSent = try await eventually(timeout: .seconds(60)) { try await db.delivery(fast.delivery).state == "sent" }
                    #expect(fastSent, "the fast endpoint waited for the hanging one")
                    #expect(try await db.delivery(hanging.delivery).state == "pending", "the hanging send is still in flight")
                    sink.release("/hang")
                    let hangSent = try await eventually(timeout: .seconds(60)) { try await db.delivery(hanging.delivery).state == "sent" }
                    #expect(hangSent)
                    await group.triggerGracefulShutdown()
                    try await tasks.waitForAll()
                }
            }
        }
    }

    @Test func noSecretInStoredErrorsOrLogs() async throws {
        try await DeliveryDatabase.with { db in
            try await HTTPSink.with { sink in
                let secret = "SECtop-secret-robot-key-42"
                sink.script("/robot", [.echoing(status: 200, #"{"errcode":310000,"errmsg":"sign not match \#(secret) {echo}"}"#)])
                sink.script("/hook", [.echoing(status: 500, #"{"error":"cannot verify \#(secret) {echo}"}"#)])
                sink.script("/sms", [.echoing(status: 422, #"{"error":"rejected \#(secret) {echo}"}"#)])
                let clock = DeliveryTestClock()
                let logs = LogCapture()
                let robot = try await db.addRecipient(channel: .dingtalk, endpoint: sink.url("/robot?access_token=tok-robot-token"), secret: secret, at: clock.now())
                let hook = try await db.addRecipient(channel: .webhook, endpoint: sink.url("/hook"), secret: secret, at: clock.now())
                let sms = try await db.addRecipient(channel: .sms, endpoint: sink.url("/sms"), secret: secret, at: clock.now())
                let worker = db.worker(clock: clock, logs: logs)
                #expect(try await worker.processDue() == 3)
                #expect(try await db.delivery(robot.delivery).state == "dead")
                #expect(try await db.delivery(hook.delivery).state == "failed")
                #expect(try await db.delivery(sms.delivery).state == "dead")

                var leaks = [secret, "tok-robot-token"]
                for request in sink.requests {
                    if let sign = request.parameters["sign"] { leaks += [sign, RequestSigning.percentEncode(sign)] }
                    if let signature = request.header("X-Shuangjian-Signature") { leaks += [signature, String(signature.dropFirst(7))] }
                }
                #expect(leaks.count >= 5)
                let texts = try await db.storedErrorTexts() + logs.lines
                #expect(texts.contains { $0.contains(ErrorRedactor.mask) })
                #expect(!logs.lines.isEmpty)
                for text in texts {
                    for leak in leaks { #expect(!text.contains(leak), "leaked in: \(text)") }
                }
            }
        }
    }

    @Test func aMissingConfigurationIsDead() async throws {
        try await DeliveryDatabase.with { db in
            let clock = DeliveryTestClock()
            let person = try await db.addPerson()
            let notification = try await db.addNotification(recipient: person, at: clock.now())
            let delivery = try #require(try await db.addDelivery(
                notification: notification.id, eventId: notification.eventId, recipient: person, channel: .wecom, at: clock.now()))
            #expect(try await db.worker(clock: clock).processDue() == 1)
            let row = try await db.delivery(delivery)
            #expect(row.state == "dead")
            #expect(row.lastError?.contains("no wecom channel") == true)
        }
    }

    @Test func thePersonsOwnConfigWinsOverTheUnits() async throws {
        try await DeliveryDatabase.with { db in
            try await HTTPSink.with { sink in
                let clock = DeliveryTestClock()
                let unit = "unit-" + UUID().uuidString.prefix(8)
                let person = try await db.addPerson(unit: unit)
                let other = try await db.addPerson(unit: unit)
                try await db.addConfig(owner: unit, kind: "unit", channel: .webhook, endpoint: sink.url("/unit"))
                try await db.addConfig(owner: person.uuidString.lowercased(), channel: .webhook, endpoint: sink.url("/own"))
                for recipient in [person, other] {
                    let notification = try await db.addNotification(recipient: recipient, at: clock.now())
                    try await db.addDelivery(notification: notification.id, eventId: notification.eventId, recipient: recipient, channel: .webhook, at: clock.now())
                }
                #expect(try await db.worker(clock: clock).processDue() == 2)
                #expect(sink.requests(to: "/own").count == 1)
                #expect(sink.requests(to: "/unit").count == 1)
                #expect(sink.requests(to: "/own").first?.json["recipient"].flatMap { ($0 as? [String: Any])?["id"] as? String } == person.uuidString.lowercased())
            }
        }
    }
}
