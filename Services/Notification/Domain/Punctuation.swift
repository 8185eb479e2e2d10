/// How a filled-in value meets the template's text: one punctuation mark,
/// never two. An event's free text (a reason, a subject) may or may not end
/// with 。, and the template cannot know which, so the engine decides:
///
/// - The template's mark governs sentence structure: "理由：{{reason}}。" with
///   a reason ending in 。 or ； keeps the template's 。 and drops the value's;
///   a value ending in 。 before "，请…" loses its 。.
/// - A value's own ！ ？ or …… carries meaning: it stays, and a template 。
///   right after it is dropped.
/// - A value ending in a quoted sentence (…。” ) keeps it, and a 。 after
///   the closing quote is dropped.
enum Punctuation {
    /// Marks that end or divide a sentence, full-width and ASCII.
    static let marks: Set<Character> = ["。", "，", "、", "；", "：", "！", "？", "…", ".", ",", ";", ":", "!", "?"]
    /// A value's final marks that are kept before a template 。.
    static let meaningful: Set<Character> = ["！", "？", "…", "!", "?"]
    /// Closing quotation marks and brackets.
    static let closers: Set<Character> = ["”", "’", "」", "』", "）", ")"]

    /// `value` and `next` as they should be written one after the other.
    static func join(value: String, before next: String) -> (String, String) {
        guard let first = next.first, marks.contains(first) else { return (value, next) }
        var trimmed = Substring(value)
        while let last = trimmed.last, last.isWhitespace { trimmed.removeLast() }
        guard let last = trimmed.last else { return (value, next) }

        if closers.contains(last) {
            // “…不予批准。” then 。: the quoted sentence has ended.
            let before = trimmed.dropLast().last
            if first == "。", let before, marks.contains(before) { return (String(trimmed), String(next.dropFirst())) }
            return (value, next)
        }
        guard marks.contains(last) else { return (value, next) }
        if first == "。" && meaningful.contains(last) { return (String(trimmed), String(next.dropFirst())) }
        while let mark = trimmed.last, marks.contains(mark) { trimmed.removeLast() }
        return (String(trimmed), next)
    }

    /// Two marks side by side in a template's own text (an ellipsis …… aside).
    static func doubled(in text: String) -> String? {
        for (a, b) in zip(text, text.dropFirst()) where marks.contains(a) && marks.contains(b) && !(a == "…" && b == "…") {
            return String([a, b])
        }
        return nil
    }
}
