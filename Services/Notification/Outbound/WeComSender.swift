import Foundation

/// WeCom (企业微信) group robot: the webhook URL's `key` is its only
/// credential, so there is nothing to sign. Success is errcode 0; 45009
/// (API frequency limit) and -1 (system busy) are worth retrying.
struct WeComSender: ChannelSender {
    let http: any OutboundHTTP
    static let retryableCodes: Set<Int> = [45009, -1]
    /// WeCom refuses markdown content over 4096 bytes.
    static let maxContentBytes = 4000

    struct Body: Encodable {
        struct Markdown: Encodable { var content: String }
        var msgtype = "markdown"
        var markdown: Markdown
    }

    static func body(for message: OutboundMessage) -> Body {
        Body(markdown: .init(content: RobotText.truncated("**\(message.title)**\n\n\(message.body)", maxBytes: maxContentBytes)))
    }

    func send(_ message: OutboundMessage, to target: ChannelTarget, now: Date) async -> SendOutcome {
        let redactor = ErrorRedactor(hiding: [target.secret] + ErrorRedactor.credentials(in: target.endpoint))
        guard let url = URL(string: target.endpoint), url.scheme == "https" || url.scheme == "http" else {
            return .permanent(statusCode: nil, error: "the WeCom endpoint is not an http(s) URL")
        }
        guard let body = SenderJSON.encode(Self.body(for: message)) else {
            return .permanent(statusCode: nil, error: "the message cannot be encoded")
        }
        let exchange = await http.post(OutboundRequest(
            url: url, headers: ["Content-Type": "application/json"], body: body))
        return RobotReply.classify(exchange, robot: "WeCom", retryableCodes: Self.retryableCodes, redactor: redactor)
    }
}
