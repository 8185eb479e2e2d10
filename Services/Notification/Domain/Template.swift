import EventFlow
import Foundation

/// A title or body template: Chinese text with `{{path}}` placeholders filled
/// from the event's data, optionally through a filter: `{{path|filter}}`.
///
/// - `{{unit.name}}`: the field's text; a list is joined with 、; a missing
///   or null field reads 无.
/// - `{{letter.replyDue|date}}`: an RFC 3339 instant or a `YYYY-MM-DD` date
///   as 2026年10月8日 (China time); `|time` adds the clock time (17:30).
/// - `{{institution.status|label}}`: the rules file's `labels[path]` entry for
///   the value (e.g. approved → 已审批), the value itself when unlisted.
/// - `{{institution.responsibleUnits.approving|unit}}`: unit ids as the
///   directory's unit names (县科经局), the id when unknown.
/// - `{{previousLiaisonId|person}}`: person ids as the directory's names
///   (陈静), the id when unknown.
/// - `{{original.title|quote}}`: in Chinese quotation marks, quotation marks
///   inside it turned into single ones (“关于‘双减’…”).
/// - `{{recipient.name}}`: the recipient's name; `{{event.time|time}}`: the
///   event's `ce_time`.
///
/// Punctuation is never doubled: where a filled-in value ends with a
/// punctuation mark and the text after it starts with one (理由：{{reason}}。
/// with a reason that already ends in 。), only one is kept (`Punctuation`).
/// A template whose own text doubles a mark (“。。”, “，。”) is refused.
struct Template: Sendable, Equatable {
    enum Filter: String, Sendable, CaseIterable {
        case date, time, label, unit, person, quote
    }

    struct Placeholder: Sendable, Equatable {
        var path: JSONPath
        var filter: Filter?
        var text: String
    }

    enum Part: Sendable, Equatable {
        case literal(String)
        case placeholder(Placeholder)
    }

    let source: String
    let parts: [Part]

    /// Placeholders outside the event's data.
    static let reservedPaths: Set<String> = ["recipient.name", "event.time"]

    init(_ source: String) throws(TemplateError) {
        self.source = source
        var parts: [Part] = []
        var rest = Substring(source)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { parts.append(.literal(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw TemplateError("unclosed {{ in \"\(source)\"")
            }
            let inside = String(rest[open.upperBound..<close.lowerBound])
            let pieces = inside.split(separator: "|", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard pieces.count <= 2, let path = JSONPath(pieces[0]) else {
                throw TemplateError("placeholder {{\(inside)}} is not a path (like unit.name) with an optional |filter")
            }
            var filter: Filter?
            if pieces.count == 2 {
                guard let known = Filter(rawValue: pieces[1]) else {
                    throw TemplateError(
                        "placeholder {{\(inside)}}: unknown filter \"\(pieces[1])\"; known: "
                            + Filter.allCases.map(\.rawValue).joined(separator: ", "))
                }
                filter = known
            }
            parts.append(.placeholder(Placeholder(path: path, filter: filter, text: "{{\(inside)}}")))
            rest = rest[close.upperBound...]
        }
        if rest.contains("}}") { throw TemplateError("stray }} in \"\(source)\"") }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        for case .literal(let text) in parts {
            if let doubled = Punctuation.doubled(in: text) {
                throw TemplateError("doubled punctuation \"\(doubled)\" in \"\(source)\"")
            }
        }
        self.parts = parts
    }

    var placeholders: [Placeholder] {
        parts.compactMap { if case .placeholder(let placeholder) = $0 { placeholder } else { nil } }
    }

    /// What rendering reads besides the event's data.
    struct Context: Sendable {
        var data: JSONValue
        var eventTime: Date?
        var recipientName: String
        /// Path pattern → value → label.
        var labels: [String: [String: String]]
        /// Unit id → name, for `|unit`.
        var unitNames: [String: String]
        /// Person id → name, for `|person`.
        var personNames: [UUID: String] = [:]
    }

    static let missing = "无"

    func render(_ context: Context) -> String {
        var output = ""
        // A filled-in value waits for what follows it, so that the two
        // meet with one punctuation mark.
        var value: String?
        for part in parts {
            var next: String
            switch part {
            case .literal(let text): next = text
            case .placeholder(let placeholder): next = Self.fill(placeholder, context)
            }
            if let pending = value {
                let (left, right) = Punctuation.join(value: pending, before: next)
                output += left
                next = right
            }
            if case .placeholder = part {
                value = next
            } else {
                value = nil
                output += next
            }
        }
        return output + (value ?? "")
    }

    private static func fill(_ placeholder: Placeholder, _ context: Context) -> String {
        let value: JSONValue?
        switch placeholder.path.description {
        case "recipient.name": value = .string(context.recipientName)
        case "event.time": value = context.eventTime.map { .string(RFC3339.format($0)) }
        default: value = context.data.value(at: placeholder.path)
        }
        let texts: [String]
        switch value {
        case nil, .null?: return missing
        case .array(let items)?: texts = items.compactMap(\.scalarText)
        case let scalar?: texts = scalar.scalarText.map { [$0] } ?? []
        }
        if texts.isEmpty { return missing }
        return texts.map { apply(placeholder.filter, to: $0, path: placeholder.path, context) }.joined(separator: "、")
    }

    private static func apply(_ filter: Filter?, to text: String, path: JSONPath, _ context: Context) -> String {
        switch filter {
        case nil: text
        case .label: context.labels[path.pattern]?[text] ?? text
        case .unit: context.unitNames[text] ?? text
        case .person: UUID(uuidString: text).flatMap { context.personNames[$0] } ?? text
        case .quote: "“" + text.replacingOccurrences(of: "“", with: "‘").replacingOccurrences(of: "”", with: "’") + "”"
        case .date: ChineseDate.format(text, withTime: false) ?? text
        case .time: ChineseDate.format(text, withTime: true) ?? text
        }
    }
}

struct TemplateError: Error, CustomStringConvertible, Equatable, Sendable {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Dates as Chinese officials write them, in China time.
enum ChineseDate {
    private static func calendar() -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!
        return calendar
    }

    /// 2026年10月8日, or 2026年10月8日 17:30 with `withTime`.
    static func format(_ date: Date, withTime: Bool) -> String {
        let parts = calendar().dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let day = "\(parts.year!)年\(parts.month!)月\(parts.day!)日"
        guard withTime else { return day }
        return day + " " + String(format: "%02d:%02d", parts.hour!, parts.minute!)
    }

    /// An RFC 3339 instant, or a plain `YYYY-MM-DD` date (no time shown).
    static func format(_ text: String, withTime: Bool) -> String? {
        if let instant = RFC3339.parse(text) { return format(instant, withTime: withTime) }
        let pieces = text.split(separator: "-").compactMap { Int($0) }
        guard text.count == 10, pieces.count == 3 else { return nil }
        return "\(pieces[0])年\(pieces[1])月\(pieces[2])日"
    }
}
