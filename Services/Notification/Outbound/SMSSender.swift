import Foundation

/// SMS through a configurable HTTP gateway (the county's or a provider's
/// adapter): a JSON POST `{"mobile", "text", "idempotencyKey"}` to the
/// configured endpoint, signed like our webhooks. 2xx = accepted by the
/// gateway (handset delivery reports are the gateway's business).
struct SMSSender: ChannelSender {
    let http: any OutboundHTTP

    struct Body: Encodable, Equatable {
        var mobile: String
        var text: String
        var idempotencyKey: String
    }

    static func text(for message: OutboundMessage) -> String {
        "\(message.title)\n\(message.body)"
    }

    func send(_ message: OutboundMessage, to target: ChannelTarget, now: Date) async -> SendOutcome {
        guard let mobile = message.recipientMobile, !mobile.isEmpty else {
            return .permanent(statusCode: nil, error: "the recipient has no mobile number in the directory")
        }
        guard let url = URL(string: target.endpoint), url.scheme == "https" || url.scheme == "http" else {
            return .permanent(statusCode: nil, error: "the SMS gateway endpoint is not an http(s) URL")
        }
        let payload = Body(mobile: mobile, text: Self.text(for: message), idempotencyKey: message.idempotencyKey)
        guard let body = SenderJSON.encode(payload) else {
            return .permanent(statusCode: nil, error: "the message cannot be encoded")
        }
        let (headers, signature) = SignatureHeaders.make(key: message.idempotencyKey, secret: target.secret, body: body, now: now)
        let exchange = await http.post(OutboundRequest(url: url, headers: headers, body: body))
        return HTTPOutcome.classify(exchange, redactor: ErrorRedactor(hiding: [target.secret, signature] + ErrorRedactor.credentials(in: target.endpoint)))
    }
}
