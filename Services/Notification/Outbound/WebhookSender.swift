import Domain
import Foundation

/// The generic webhook: a JSON POST, signed with HMAC-SHA256 when a secret is
/// configured, carrying the delivery's idempotency key both as the body's
/// `id` and as the `Idempotency-Key` header. 2xx = sent.
struct WebhookSender: ChannelSender {
    let http: any OutboundHTTP

    struct Body: Encodable, Equatable {
        struct Recipient: Encodable, Equatable {
            var id: String
            var name: String?
        }
        var id: String
        var eventId: String
        var eventType: String
        var recipient: Recipient
        var `class`: String
        var title: String
        var body: String
        var createdAt: Date
    }

    static func body(for message: OutboundMessage) -> Body {
        Body(
            id: message.idempotencyKey, eventId: message.eventId, eventType: message.eventType,
            recipient: .init(id: message.recipientId.lowercasedString, name: message.recipientName),
            class: message.notificationClass.rawValue, title: message.title, body: message.body,
            createdAt: message.createdAt)
    }

    func send(_ message: OutboundMessage, to target: ChannelTarget, now: Date) async -> SendOutcome {
        guard let url = URL(string: target.endpoint), url.scheme == "https" || url.scheme == "http" else {
            return .permanent(statusCode: nil, error: "the webhook endpoint is not an http(s) URL")
        }
        guard let body = SenderJSON.encode(Self.body(for: message)) else {
            return .permanent(statusCode: nil, error: "the message cannot be encoded")
        }
        let (headers, signature) = SignatureHeaders.make(key: message.idempotencyKey, secret: target.secret, body: body, now: now)
        let exchange = await http.post(OutboundRequest(url: url, headers: headers, body: body))
        return HTTPOutcome.classify(exchange, redactor: ErrorRedactor(hiding: [target.secret, signature] + ErrorRedactor.credentials(in: target.endpoint)))
    }
}
