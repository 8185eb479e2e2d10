import Foundation

/// How every service counts and checks text, the way JSON Schema (and so the
/// OpenAPI documents, and a client that validates against them) does: length
/// in Unicode scalars (code points), not in Swift's grapheme clusters; white
/// space as Unicode's White_Space property.
public enum TextRules {
    /// The documents' `pattern` of a text that must not be blank: somewhere a
    /// character outside Unicode's White_Space set, and no NUL anywhere (which
    /// every request refuses: RequestJSONScreen). Spelled out, so every
    /// regular-expression engine (ECMA-262, Python, ICU) reads the same set.
    public static let nonBlankPattern =
        #"^[^\x00]*[^\x00\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\x00]*$"#
    /// The documents' `pattern` of a text with no other rule: no NUL.
    public static let noNulPattern = #"^[^\x00]*$"#

    /// The length JSON Schema's `minLength` and `maxLength` count.
    public static func length(_ text: String) -> Int { text.unicodeScalars.count }

    /// Empty, or only white space.
    public static func isBlank(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy(\.properties.isWhitespace)
    }

    /// Without leading and trailing white space.
    public static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}

/// A `pattern` of an OpenAPI document that the whole value must match (the
/// documents' patterns of this kind start with `^` and end with `$`), matched
/// by Unicode scalars as JSON Schema does. The same string is in the document;
/// the contract tests compare them.
public struct TextPattern: @unchecked Sendable, CustomStringConvertible {  // NSRegularExpression is immutable and thread-safe
    public let pattern: String
    private let expression: NSRegularExpression

    public init(_ pattern: String) {
        self.pattern = pattern
        // A pattern is a constant of the code; a bad one is a programming error.
        expression = try! NSRegularExpression(pattern: pattern)
    }

    /// Whether all of `value` matches: ICU's `$` also matches before a final
    /// line break, so the match must cover the whole value.
    public func matches(_ value: String) -> Bool {
        let whole = NSRange(value.startIndex..., in: value)
        guard let match = expression.firstMatch(in: value, options: [.anchored], range: whole) else { return false }
        return match.range == whole
    }

    public var description: String { pattern }
}
