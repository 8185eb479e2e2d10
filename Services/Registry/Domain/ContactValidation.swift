import Domain
import ServiceKit
/// One problem with one field of a request: `field` is its path in the body
/// (e.g. `channels.mobile`), `detail` says what is wrong (the same pair as
/// ServiceKit's `Problem.FieldError`, kept apart so the domain needs no HTTP).
struct FieldProblem: Codable, Sendable, Equatable, CustomStringConvertible {
    var field: String
    var detail: String

    init(_ field: String, _ detail: String) {
        self.field = field
        self.detail = detail
    }

    var description: String { "\(field): \(detail)" }
}

/// Checks on where alerts reach a person (`ContactChannels`). Absent (nil)
/// channels are fine; present ones must be usable. Each rule is the one
/// docs/openapi/registry.yaml states for the field (`…Pattern`; the contract
/// tests compare them), lengths counted in Unicode scalars as JSON Schema counts.
enum ContactValidation {
    static let maxUserIDLength = 64
    static let maxEmailLength = 254

    /// What `mobileProblem` accepts.
    static let mobilePattern = TextPattern(#"^1[0-9]{10}$"#)
    /// What `emailProblem` accepts (with `maxLength` 254): no white space or
    /// control characters anywhere, one @, and a domain of dot-separated parts.
    static let emailPattern = TextPattern(
        #"^[^@\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+"#
            + #"@[^@.\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+"#
            + #"(\.[^@.\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+)+$"#)
    /// A DingTalk or WeCom user id: printable ASCII without spaces. WeCom's
    /// userid is letters, digits and `_-@.`, 1–64 bytes; DingTalk's is
    /// alphanumeric. (Any printable character was once allowed, but "printable"
    /// depends on the Unicode version of whoever checks, so a document could
    /// not state it.)
    static let userIdPattern = TextPattern(#"^[!-~]{1,64}$"#)

    /// Every problem of `channels`, fields named `<prefix>.mobile`,
    /// `<prefix>.email`, `<prefix>.dingTalkUserId`, `<prefix>.weComUserId`.
    static func problems(_ channels: ContactChannels, prefix: String = "channels") -> [FieldProblem] {
        func field(_ name: String) -> String { prefix.isEmpty ? name : "\(prefix).\(name)" }
        var problems: [FieldProblem] = []
        if let mobile = channels.mobile, let problem = mobileProblem(mobile) {
            problems.append(FieldProblem(field("mobile"), problem))
        }
        if let email = channels.email, let problem = emailProblem(email) {
            problems.append(FieldProblem(field("email"), problem))
        }
        if let id = channels.dingTalkUserId, let problem = userIDProblem(id) {
            problems.append(FieldProblem(field("dingTalkUserId"), problem))
        }
        if let id = channels.weComUserId, let problem = userIDProblem(id) {
            problems.append(FieldProblem(field("weComUserId"), problem))
        }
        return problems
    }

    /// A mainland mobile number: 11 ASCII digits, the first 1. No spaces,
    /// dashes or +86: store it in one form so that lookups compare equal.
    static func mobileProblem(_ mobile: String) -> String? {
        let scalars = Array(mobile.unicodeScalars)
        guard scalars.allSatisfy({ ("0"..."9").contains($0) }) else {
            return "must be 11 digits (no spaces, dashes or country code)"
        }
        guard scalars.count == 11 else { return "must be 11 digits, not \(scalars.count)" }
        guard scalars.first == "1" else { return "must start with 1" }
        return nil
    }

    /// A sanity check, not RFC 5322: one @, something before it, a domain
    /// after it with a dot that is neither its first nor its last character,
    /// no white space or control characters, at most 254 characters.
    static func emailProblem(_ email: String) -> String? {
        if email.isEmpty { return "must not be empty" }
        if TextRules.length(email) > maxEmailLength { return "must be at most \(maxEmailLength) characters" }
        if email.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.properties.generalCategory == .control }) {
            return "must not contain spaces or control characters"
        }
        // By scalars, not characters: "@" or "." followed by a combining mark
        // or an emoji modifier is one Character, but still the "@" or "." the
        // pattern sees.
        let parts = email.unicodeScalars.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return "must contain exactly one @" }
        let (local, domain) = (parts[0], parts[1])
        if local.isEmpty { return "needs a name before the @" }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }) else {
            return "needs a domain with a dot after the @ (e.g. example.cn)"
        }
        return nil
    }

    /// A DingTalk or WeCom user id (`userIdPattern`).
    static func userIDProblem(_ id: String) -> String? {
        if id.isEmpty { return "must not be empty (leave it out instead)" }
        if TextRules.length(id) > maxUserIDLength {
            return "must be at most \(maxUserIDLength) characters, not \(TextRules.length(id))"
        }
        if !userIdPattern.matches(id) {
            return "must be printable ASCII characters only (letters, digits, punctuation; no spaces or control characters)"
        }
        return nil
    }
}

extension ContactChannels {
    /// `ContactValidation.problems(self, prefix:)`.
    func validationProblems(prefix: String = "channels") -> [FieldProblem] {
        ContactValidation.problems(self, prefix: prefix)
    }
}
