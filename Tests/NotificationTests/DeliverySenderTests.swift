import Crypto
import Foundation
import Testing
@testable import Notification

/// The channel senders against an in-process HTTP sink: what goes on the
/// wire, how answers are classified, and that no secret leaks into errors.
@Suite struct DeliverySenderTests {
    static let message = OutboundMessage(
        idempotencyKey: "evt-1:0f8fad5b-d9cb-469f-a165-70867728950e:webhook", eventId: "evt-1",
        eventType: "cn.gov.fangxian.shuangjian.scheduling.letter.issued.v1",
        recipientId: UUID(uuidString: "0f8fad5b-d9cb-469f-a165-70867728950e")!, recipientName: "王老师",
        recipientMobile: "13800000001", notificationClass: .letter, title: "督办函", body: "请于三个工作日内回复。",
        createdAt: Date(timeIntervalSince1970: 1_700_000_000))
    static let now = Date(timeIntervalSince1970: 1_700_000_123.456)

    /// Runs `body` with an HTTP client (local sinks allowed) and shuts it down after.
    static func withHTTP<T: Sendable>(
        timeout: Duration = .seconds(5), _ body: @Sendable (OutboundHTTPClient) async throws -> T
    ) async throws -> T {
        let http = OutboundHTTPClient(configuration: .init(timeout: timeout, allowPrivateEndpoints: true))
        do {
            let value = try await body(http)
            await http.shutdown()
            return value
        } catch {
            await http.shutdown()
            throw error
        }
    }

    @Test func webhookSignatureKnownAnswer() {
        // Computed independently: python3 hmac.new(b"whsec", b'1700000000.{"a":1}', sha256).hexdigest()
        #expect(RequestSigning.webhookSignature(secret: "whsec", timestamp: 1_700_000_000, body: Data(#"{"a":1}"#.utf8))
                == "sha256=8ad37ba156048ae0e0a5533c75cdf26fee88b07f93cb57ee4c80adb053012032")
    }

    @Test func dingTalkSigningKnownAnswer() throws {
        // DingTalk's documented algorithm, computed independently with Python's hmac/base64/urllib.
        let secret = "SECdemo0123456789abcdef"
        #expect(RequestSigning.dingTalkSign(secret: secret, timestampMillis: 1_700_000_000_000)
                == "uqqEBgsZDZ7Tr5zHangyqJmCFGh6+zk54sU2uRKcDZQ=")
        let signed = RequestSigning.dingTalkURL(
            endpoint: "https://oapi.dingtalk.com/robot/send?access_token=abc", secret: secret, timestampMillis: 1_700_000_000_000)
        #expect(signed.url?.absoluteString == "https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000000&sign=uqqEBgsZDZ7Tr5zHangyqJmCFGh6%2Bzk54sU2uRKcDZQ%3D")
    }

    @Test func webhookRequestVerifiesWithTheSecret() async throws {
        try await HTTPSink.with { sink in try await Self.withHTTP { http in
            let sender = WebhookSender(http: http)
            let outcome = await sender.send(Self.message, to: ChannelTarget(endpoint: sink.url("/hook"), secret: "whsec-123456"), now: Self.now)
            #expect(outcome == .sent(statusCode: 200))
            let request = try #require(sink.requests(to: "/hook").first)
            #expect(request.header("Content-Type") == "application/json")
            #expect(request.header("Idempotency-Key") == Self.message.idempotencyKey)
            let timestamp = try #require(request.header("X-Shuangjian-Timestamp"))
            #expect(timestamp == "1700000123")
            // Verify as a receiver would: HMAC over "<timestamp>.<raw body>".
            var signed = Data("\(timestamp).".utf8)
            signed.append(request.body)
            let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Data("whsec-123456".utf8)))
            #expect(request.header("X-Shuangjian-Signature") == "sha256=" + mac.map { String(format: "%02x", $0) }.joined())
            let json = request.json
            #expect(json["id"] as? String == Self.message.idempotencyKey)
            #expect(json["eventId"] as? String == "evt-1")
            #expect(json["eventType"] as? String == Self.message.eventType)
            #expect(json["class"] as? String == "letter")
            #expect(json["title"] as? String == "督办函")
            #expect((json["recipient"] as? [String: Any])?["name"] as? String == "王老师")
            #expect((json["recipient"] as? [String: Any])?["id"] as? String == "0f8fad5b-d9cb-469f-a165-70867728950e")
            #expect(json["createdAt"] as? String == "2023-11-14T22:13:20Z")
        }}
    }

    @Test func webhookWithoutSecretIsUnsigned() async throws {
        try await HTTPSink.with { sink in try await Self.withHTTP { http in
            let outcome = await WebhookSender(http: http).send(Self.message, to: ChannelTarget(endpoint: sink.url("/plain"), secret: nil), now: Self.now)
            #expect(outcome == .sent(statusCode: 200))
            #expect(sink.requests.first?.header("X-Shuangjian-Signature") == nil)
            #expect(sink.requests.first?.header("Idempotency-Key") == Self.message.idempotencyKey)
        }}
    }

    @Test func httpStatusesAreClassified() async throws {
        try await HTTPSink.with { sink in try await Self.withHTTP { http in
            sink.script("/s", [.init(status: 500), .init(status: 429), .init(status: 404), .init(status: 204, body: "")])
            let sender = WebhookSender(http: http)
            let target = ChannelTarget(endpoint: sink.url("/s"), secret: nil)
            var outcomes: [SendOutcome] = []
            for _ in 0..<4 { outcomes.append(await sender.send(Self.message, to: target, now: Self.now)) }
            guard case .retryable(500, _) = outcomes[0], case .retryable(429, _) = outcomes[1],
                  case .permanent(404, _) = outcomes[2], case .sent(204) = outcomes[3]
            else { Issue.record("unexpected outcomes \(outcomes)"); return }
        }}
    }

    @Test func dingTalkRequestIsSignedAndRateLimitIsRetryable() async throws {
        try await HTTPSink.with { sink in try await Self.withHTTP { http in
            sink.script("/robot/send", [
                .init(body: #"{"errcode":0,"errmsg":"ok"}"#),
                .init(body: #"{"errcode":130101,"errmsg":"send too fast"}"#),
                .init(body: #"{"errcode":300001,"errmsg":"token is not exist"}"#),
            ])
            let sender = DingTalkSender(http: http)
            let secret = "SECdingtalk-robot-secret"
            let target = ChannelTarget(endpoint: sink.url("/robot/send?access_token=tok"), secret: secret)
            let first = await sender.send(Self.message, to: target, now: Self.now)
            let second = await sender.send(Self.message, to: target, now: Self.now)
            let third = await sender.send(Self.message, to: target, now: Self.now)
            #expect(first == .sent(statusCode: 200))
            guard case .retryable(200, let slow) = second, case .permanent(200, let refused) = third else {
                Issue.record("unexpected \(second) \(third)"); return
            }
            #expect(slow.contains("130101"))
            #expect(refused.contains("300001"))
            let request = try #require(sink.requests.first)
            let parameters = request.parameters
            #expect(parameters["access_token"] == "tok")
            #expect(parameters["timestamp"] == "1700000123456")
            #expect(parameters["sign"] == RequestSigning.dingTalkSign(secret: secret, timestampMillis: 1_700_000_123_456))
            #expect(request.json["msgtype"] as? String == "markdown")
            let markdown = try #require(request.json["markdown"] as? [String: Any])
            #expect(markdown["title"] as? String == "督办函")
            #expect((markdown["text"] as? String)?.contains("请于三个工作日内回复") == true)
        }}
    }

    @Test func weComRobot() async throws {
        try await HTTPSink.with { sink in try await Self.withHTTP { http in
            sink.script("/cgi-bin/webhook/send", [
                .init(body: #"{"errcode":45009,"errmsg":"api freq out of limit"}"#),
                .init(body: #"{"errcode":0,"errmsg":"ok"}"#),
            ])
            let sender = WeComSender(http: http)
            let target = ChannelTarget(endpoint: sink.url("/cgi-bin/webhook/send?key=k1"), secret: nil)
            guard case .retryable(200, _) = await sender.send(Self.message, to: target, now: Self.now) else {
                Issue.record("45009 should be retryable"); return
            }
            #expect(await sender.send(Self.message, to: target, now: Self.now) == .sent(statusCode: 200))
            let markdown = try #require(sink.requests.first?.json["markdown"] as? [String: Any])
            #expect((markdown["content"] as? String)?.hasPrefix("**督办函**") == true)
        }}
    }

    @Test func smsGateway() async throws {
        try await HTTPSink.with { sink in try await Self.withHTTP { http in
            let sender = SMSSender(http: http)
            let target = ChannelTarget(endpoint: sink.url("/sms"), secret: "sms-gateway-secret")
            #expect(await sender.send(Self.message, to: target, now: Self.now) == .sent(statusCode: 200))
            let request = try #require(sink.requests.first)
            #expect(request.json["mobile"] as? String == "13800000001")
            #expect(request.json["idempotencyKey"] as? String == Self.message.idempotencyKey)
            #expect((request.json["text"] as? String)?.contains("督办函") == true)
            #expect(request.header("X-Shuangjian-Signature")?.hasPrefix("sha256=") == true)
            var noMobile = Self.message
            noMobile.recipientMobile = nil
            guard case .permanent(nil, _) = await sender.send(noMobile, to: target, now: Self.now) else {
                Issue.record("no mobile must be permanent"); return
            }
            #expect(sink.requests.count == 1)
        }}
    }

    /// The sink holds the request until released, and is released only after
    /// the send returned: only the deadline can have ended it.
    @Test func aHungEndpointTimesOut() async throws {
        try await HTTPSink.with { sink in try await Self.withHTTP(timeout: .milliseconds(500)) { http in
            sink.script("/slow", [.init(held: true)])
            let outcome = await WebhookSender(http: http)
                .send(Self.message, to: ChannelTarget(endpoint: sink.url("/slow"), secret: nil), now: Self.now)
            #expect(outcome == .retryable(statusCode: nil, error: "timed out"))
            #expect(sink.requests(to: "/slow").count == 1)
            sink.release("/slow")
        }}
    }

    @Test func connectionRefusedIsRetryableAndNamesNoURL() async throws {
        try await Self.withHTTP { http in
            let outcome = await WebhookSender(http: http)
                .send(Self.message, to: ChannelTarget(endpoint: "http://127.0.0.1:1/hook?token=zzz-secret-token", secret: nil), now: Self.now)
            guard case .retryable(nil, let error) = outcome else { Issue.record("got \(outcome)"); return }
            #expect(error == "connection refused")
            #expect(!error.contains("zzz-secret-token"))
            #expect(!error.contains("127.0.0.1"))
        }
    }

    @Test func repliesQuotingTheSecretAreRedacted() async throws {
        try await HTTPSink.with { sink in try await Self.withHTTP { http in
            let secret = "SECquoted-back-secret-value"
            sink.script("/robot", [.echoing(status: 200, #"{"errcode":310000,"errmsg":"sign not match \#(secret) {echo}"}"#)])
            sink.script("/hook", [.echoing(status: 400, #"{"error":"bad signature for \#(secret): {echo}"}"#)])
            let robot = await DingTalkSender(http: http)
                .send(Self.message, to: ChannelTarget(endpoint: sink.url("/robot?access_token=t"), secret: secret), now: Self.now)
            let hook = await WebhookSender(http: http)
                .send(Self.message, to: ChannelTarget(endpoint: sink.url("/hook"), secret: secret), now: Self.now)
            let sign = RequestSigning.dingTalkSign(secret: secret, timestampMillis: Self.now.unixMillis)
            let signature = try #require(sink.requests(to: "/hook").first?.header("X-Shuangjian-Signature"))
            for outcome in [robot, hook] {
                guard case .permanent(_, let error) = outcome else { Issue.record("got \(outcome)"); continue }
                #expect(error.contains(ErrorRedactor.mask))
                for leak in [secret, sign, RequestSigning.percentEncode(sign), signature, String(signature.dropFirst(7))] {
                    #expect(!error.contains(leak), "\(error) leaks \(leak)")
                }
            }
        }}
    }
}


@Suite struct DeliveryRetryPolicyTests {
    @Test func retryBackoffDoublesAndCaps() {
        let policy = RetryPolicy(jitter: false)
        #expect(policy.delay(afterAttempt: 1) == .seconds(5))
        #expect(policy.delay(afterAttempt: 2) == .seconds(10))
        #expect(policy.delay(afterAttempt: 7) == .seconds(320))
        #expect(policy.delay(afterAttempt: 8) == .seconds(600))
        let jittered = RetryPolicy()
        for attempt in 1...10 {
            let delay = jittered.delay(afterAttempt: attempt)
            let full = policy.delay(afterAttempt: attempt)
            #expect(delay >= full / 2 && delay <= full)
        }
    }
}
