import Foundation

/// Sends one message to one endpoint and classifies what happened.
/// A sender never throws: every failure is an outcome with a redacted text.
protocol ChannelSender: Sendable {
    /// `now` is the worker's (injectable) clock: signatures and timestamps use it.
    func send(_ message: OutboundMessage, to target: ChannelTarget, now: Date) async -> SendOutcome
}

/// The sender of each channel, sharing one HTTP client.
struct ChannelSenders: Sendable {
    var webhook: any ChannelSender
    var dingtalk: any ChannelSender
    var wecom: any ChannelSender
    var sms: any ChannelSender

    init(http: any OutboundHTTP) {
        webhook = WebhookSender(http: http)
        dingtalk = DingTalkSender(http: http)
        wecom = WeComSender(http: http)
        sms = SMSSender(http: http)
    }

    func sender(for channel: Channel) -> any ChannelSender {
        switch channel {
        case .webhook: webhook
        case .dingtalk: dingtalk
        case .wecom: wecom
        case .sms: sms
        }
    }
}

/// How plain HTTP endpoints (our webhook, the SMS gateway) are judged:
/// 2xx sent; 408, 429 and 5xx worth retrying; any other status permanent —
/// a redirect too, which is never followed (it would carry the signed body
/// elsewhere); an endpoint whose address is refused is permanent.
enum HTTPOutcome {
    /// `redactor` is built only when there is an error text to clean: most
    /// sends succeed, and building one percent-encodes every secret.
    static func classify(_ exchange: HTTPExchange, redactor makeRedactor: @autoclosure () -> ErrorRedactor) -> SendOutcome {
        if case .response(let status, _, _) = exchange, (200..<300).contains(status) { return .sent(statusCode: status) }
        let redactor = makeRedactor()
        switch exchange {
        case .timedOut:
            return .retryable(statusCode: nil, error: "timed out")
        case .failed(let text):
            return .retryable(statusCode: nil, error: redactor.clean(text))
        case .refused(let reason):
            return .permanent(statusCode: nil, error: redactor.clean(reason))
        case .response(let status, _, let location) where (300..<400).contains(status):
            return .permanent(statusCode: status, error: redactor.clean(
                "HTTP \(status): redirects are not followed" + (redirectTarget(location).map { " (to \($0))" } ?? "")))
        case .response(let status, let body, _):
            if (200..<300).contains(status) { return .sent(statusCode: status) }
            let text = redactor.clean("HTTP \(status)" + snippet(body))
            if status == 408 || status == 429 || status >= 500 { return .retryable(statusCode: status, error: text) }
            return .permanent(statusCode: status, error: text)
        }
    }

    /// Where a redirect pointed, as scheme and host only: its path and query
    /// may carry a token, and the operator needs only to see where it went.
    static func redirectTarget(_ location: String?) -> String? {
        guard let location, let url = URL(string: location), let host = url.host, !host.isEmpty else { return nil }
        return "\(url.scheme ?? "http")://\(host)"
    }

    /// The start of a reply body, for the operator's eye; redacted by the caller.
    static func snippet(_ body: Data) -> String {
        let text = String(decoding: body.prefix(160), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "" : ": " + text
    }
}

/// The signature headers of the webhook and the SMS gateway.
enum SignatureHeaders {
    static let timestamp = "X-Shuangjian-Timestamp"
    static let signature = "X-Shuangjian-Signature"
    static let idempotencyKey = "Idempotency-Key"

    /// Returns the headers and the signature (so the redactor can hide it).
    static func make(key: String, secret: String?, body: Data, now: Date) -> (headers: [String: String], signature: String?) {
        let timestamp = now.unixSeconds
        var headers = [
            "Content-Type": "application/json",
            idempotencyKey: key,
            Self.timestamp: String(timestamp),
        ]
        guard let secret, !secret.isEmpty else { return (headers, nil) }
        let signature = RequestSigning.webhookSignature(secret: secret, timestamp: timestamp, body: body)
        headers[Self.signature] = signature
        return (headers, signature)
    }
}

/// Encodes JSON bodies with sorted keys (stable, so a body signs the same on
/// every retry) and RFC 3339 dates.
enum SenderJSON {
    /// One encoder for every send (making one per send costs more than the encoding).
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static func encode<T: Encodable>(_ value: T) -> Data? {
        try? encoder.encode(value)
    }
}
