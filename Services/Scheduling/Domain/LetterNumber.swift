import Domain
import Foundation

/// A letter's number: its kind's format with the year and the place in
/// that year's count, e.g. 房双减督〔2026〕3号.
struct LetterNumber: Sendable, Equatable {
    var year: Int
    var sequence: Int
    var text: String
}

/// How numbers are written, per kind (configuration: `SJ_LETTER_NUMBER_FORMAT_SUPERVISION`,
/// `SJ_LETTER_NUMBER_FORMAT_COORDINATION`), with `{year}` and `{n}` placeholders.
struct LetterNumberFormat: Sendable, Equatable {
    static let placeholders = ["{year}", "{n}"]
    static let standard = LetterNumberFormat(
        supervision: "房双减督〔{year}〕{n}号", coordination: "房双减协〔{year}〕{n}号")

    var supervision: String
    var coordination: String

    init(supervision: String, coordination: String) {
        self.supervision = supervision
        self.coordination = coordination
    }

    /// What is wrong with it: a format without both placeholders, or two
    /// kinds written alike (their numbers would collide). Checked at start.
    func problems() -> [String] {
        var problems: [String] = []
        for (kind, format) in [(LetterKind.supervision, supervision), (.coordination, coordination)] {
            for placeholder in Self.placeholders where !format.contains(placeholder) {
                problems.append("the \(kind.chineseName) number format \(format) lacks \(placeholder)")
            }
        }
        if supervision == coordination { problems.append("督办函 and 协调函 need different number formats") }
        return problems
    }

    func number(_ kind: LetterKind, year: Int, sequence: Int) -> LetterNumber {
        let format = kind == .supervision ? supervision : coordination
        let text = format.replacingOccurrences(of: "{year}", with: String(year))
            .replacingOccurrences(of: "{n}", with: String(sequence))
        return LetterNumber(year: year, sequence: sequence, text: text)
    }
}
