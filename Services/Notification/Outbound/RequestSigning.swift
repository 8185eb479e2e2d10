import Crypto
import Foundation

/// The signatures receivers check. Pure functions of their inputs, so known
/// answers can be tested.
enum RequestSigning {
    /// Our webhook and SMS gateway signature: `sha256=<hex HMAC-SHA256(secret,
    /// "<unix seconds>.<body>")>`. The timestamp is inside the MAC so a
    /// receiver can refuse replays of old requests.
    static func webhookSignature(secret: String, timestamp: Int64, body: Data) -> String {
        var message = Data("\(timestamp).".utf8)
        message.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + hex(mac)
    }

    /// DingTalk's custom-robot signature (加签): base64 of HMAC-SHA256 keyed by
    /// the secret over "<timestamp ms>\n<secret>". Not yet URL-encoded.
    static func dingTalkSign(secret: String, timestampMillis: Int64) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data("\(timestampMillis)\n\(secret)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return Data(mac).base64EncodedString()
    }

    /// The robot URL with `timestamp` and `sign` appended, as DingTalk documents.
    static func dingTalkURL(endpoint: String, secret: String, timestampMillis: Int64) -> (url: URL?, sign: String) {
        let sign = percentEncode(dingTalkSign(secret: secret, timestampMillis: timestampMillis))
        let separator = endpoint.contains("?") ? "&" : "?"
        return (URL(string: "\(endpoint)\(separator)timestamp=\(timestampMillis)&sign=\(sign)"), sign)
    }

    /// RFC 3986 unreserved characters stay; everything else (`+`, `/`, `=`) is escaped.
    static func percentEncode(_ text: String) -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// Lower-case hex, without Foundation's `String(format:)` (slow, and called
/// for every signed send).
func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    for byte in bytes {
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: text, as: UTF8.self)
}

extension Date {
    var unixSeconds: Int64 { Int64(timeIntervalSince1970.rounded(.down)) }
    var unixMillis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }
}
