import Foundation

/// Makes an error text safe to store and log: every secret-derived value the
/// sender knows of (the secret itself, a signature, DingTalk's `sign`, also
/// percent-encoded) is replaced, control characters become spaces, and the
/// text is cut short. Redaction runs before cutting, so a secret can never
/// survive as a cut-off prefix that no longer matches.
struct ErrorRedactor: Sendable {
    static let mask = "[redacted]"
    static let limit = 200

    private var needles: [String] = []

    init(hiding values: [String?]) {
        for case let value? in values where value.count >= 4 {
            needles.append(value)
            if let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics), encoded != value {
                needles.append(encoded)
            }
        }
        // Longest first, so a value containing another is masked whole.
        needles.sort { $0.count > $1.count }
    }

    /// The query values of an endpoint URL: a WeCom robot's `key` and a
    /// DingTalk robot's `access_token` are credentials in all but name.
    static func credentials(in endpoint: String) -> [String?] {
        URLComponents(string: endpoint)?.queryItems?.map(\.value) ?? []
    }

    func clean(_ text: String) -> String {
        var text = text
        for needle in needles { text = text.replacingOccurrences(of: needle, with: Self.mask) }
        text = String(text.unicodeScalars.map { CharacterSet.controlCharacters.contains($0) ? " " : Character($0) })
        if text.count > Self.limit { text = String(text.prefix(Self.limit)) + "…" }
        return text
    }
}
