import Foundation

/// DingTalk custom robot (自定义机器人). With a secret the URL is signed
/// (timestamp in ms and `sign`); without one the robot must be secured by
/// keywords or IP instead, which is DingTalk's business, not ours.
/// Success is HTTP 200 with errcode 0; 130101 (too many messages) and -1
/// (system busy) are worth retrying.
struct DingTalkSender: ChannelSender {
    let http: any OutboundHTTP
    static let retryableCodes: Set<Int> = [130101, -1]
    static let maxTextBytes = 4000

    struct Body: Encodable {
        struct Markdown: Encodable { var title: String; var text: String }
        var msgtype = "markdown"
        var markdown: Markdown
    }

    static func body(for message: OutboundMessage) -> Body {
        Body(markdown: .init(
            title: message.title,
            text: RobotText.truncated("### \(message.title)\n\n\(message.body)", maxBytes: maxTextBytes)))
    }

    func send(_ message: OutboundMessage, to target: ChannelTarget, now: Date) async -> SendOutcome {
        var url = URL(string: target.endpoint)
        var sign: String?
        if let secret = target.secret, !secret.isEmpty {
            let signed = RequestSigning.dingTalkURL(endpoint: target.endpoint, secret: secret, timestampMillis: now.unixMillis)
            (url, sign) = (signed.url, signed.sign)
        }
        // The sign is hidden both raw and decoded, in case a reply echoes either.
        let redactor = ErrorRedactor(hiding: [target.secret, sign, sign?.removingPercentEncoding] + ErrorRedactor.credentials(in: target.endpoint))
        guard let url, url.scheme == "https" || url.scheme == "http" else {
            return .permanent(statusCode: nil, error: "the DingTalk endpoint is not an http(s) URL")
        }
        guard let body = SenderJSON.encode(Self.body(for: message)) else {
            return .permanent(statusCode: nil, error: "the message cannot be encoded")
        }
        let exchange = await http.post(OutboundRequest(
            url: url, headers: ["Content-Type": "application/json"], body: body))
        return RobotReply.classify(exchange, robot: "DingTalk", retryableCodes: Self.retryableCodes, redactor: redactor)
    }
}
