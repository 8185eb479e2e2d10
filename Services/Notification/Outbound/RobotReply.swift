import Foundation

/// DingTalk's and WeCom's robots answer HTTP 200 with `{"errcode": n,
/// "errmsg": "..."}`; only errcode 0 means the message was posted.
struct RobotReply: Decodable {
    var errcode: Int
    var errmsg: String?

    /// Classifies a robot's answer. `retryableCodes` are the robot's "slow
    /// down" and "busy" codes; any other non-zero code is the message or the
    /// configuration being refused, which a retry does not fix.
    static func classify(
        _ exchange: HTTPExchange, robot: String, retryableCodes: Set<Int>, redactor makeRedactor: @autoclosure () -> ErrorRedactor
    ) -> SendOutcome {
        guard case .response(let status, let body, _) = exchange, (200..<300).contains(status) else {
            return HTTPOutcome.classify(exchange, redactor: makeRedactor())
        }
        let redactor = makeRedactor()
        guard let reply = try? JSONDecoder().decode(RobotReply.self, from: body) else {
            return .permanent(statusCode: status, error: redactor.clean("\(robot) answered without an errcode" + HTTPOutcome.snippet(body)))
        }
        if reply.errcode == 0 { return .sent(statusCode: status) }
        let text = redactor.clean("\(robot) errcode \(reply.errcode)" + (reply.errmsg.map { ": " + $0 } ?? ""))
        return retryableCodes.contains(reply.errcode)
            ? .retryable(statusCode: status, error: text)
            : .permanent(statusCode: status, error: text)
    }
}

/// Robots' markdown limits are a few kilobytes; cut long bodies on a
/// character boundary rather than have the whole message refused.
enum RobotText {
    static func truncated(_ text: String, maxBytes: Int) -> String {
        guard text.utf8.count > maxBytes else { return text }
        var result = ""
        var bytes = 0
        for character in text {
            let size = character.utf8.count
            if bytes + size > maxBytes - 3 { break }
            result.append(character)
            bytes += size
        }
        return result + "…"
    }
}
