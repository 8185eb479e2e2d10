import Foundation

/// 统一社会信用代码 (unified social credit code), GB 32100-2015.
///
/// 18 characters from the code set 0-9 A-H J-N P-R T-U W-Y (31 characters:
/// no I, O, Z, S, V):
///
/// | position | part |
/// |---|---|
/// | 1 | 登记管理部门代码 registration authority (e.g. 1 机构编制, 5 民政, 9 工商/市场监管, Y 其他) |
/// | 2 | 机构类别代码 organisation type (e.g. under 5: 1 社会团体, 2 民办非企业单位, 3 基金会) |
/// | 3–8 | 登记管理机关行政区划码 administrative division (GB/T 2260), digits |
/// | 9–17 | 主体标识码 = 组织机构代码 (GB 11714): 8 body characters + its own check character at 17 |
/// | 18 | 校验码 check character |
///
/// Check character (position 18): with code values 0–9 → 0–9, A → 10 … Y → 30
/// in the order of the code set, and weights Wᵢ = 3^(i−1) mod 31
/// (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28),
/// C₁₈ = 31 − (Σᵢ₌₁…₁₇ Cᵢ·Wᵢ mod 31), and 31 becomes 0; C₁₈ is written as the
/// code-set character with that value.
///
/// Organisation code check character (position 17), GB 11714-1997: the eight
/// body characters take the values 0–9 → 0–9 and A–Z → 10–35 (the full
/// alphabet: J is 19 here but 18 in the GB 32100 table), weights
/// 3, 7, 9, 10, 5, 8, 4, 2; C₉ = 11 − (Σ Cᵢ·Wᵢ mod 11), where 10 is written X
/// and 11 is written 0.
///
/// Positions 1 and 2 are not checked against the tables of registration
/// authorities and organisation types: those tables have grown since 2015
/// (e.g. N 农业, A 军队), and a code a registry issued must not be refused
/// for a table this system has not caught up with. `registrationAuthority`
/// names the common ones.
struct CreditCode: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The 18 characters, as validated.
    let value: String

    static let length = 18
    /// The GB 32100 code set, in value order (index = code value).
    static let codeSet: [Character] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    /// Wᵢ = 3^(i−1) mod 31, i = 1…17.
    static let weights: [Int] = (0..<17).map { i in (0..<i).reduce(1) { power, _ in power * 3 % 31 } }
    /// GB 11714 weights of the organisation code's eight body characters.
    static let organisationCodeWeights = [3, 7, 9, 10, 5, 8, 4, 2]

    /// Validates `text` exactly as given (see `normalized(_:)` for user input).
    init(validating text: String) throws(CreditCodeError) {
        if let error = Self.firstError(in: text) { throw error }
        value = text
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(validating: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    var description: String { value }

    /// Trims surrounding white space and upper-cases ASCII letters: what a
    /// form should do before validating what a person typed.
    static func normalized(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
    }

    /// Throws the first rule `text` breaks (see `firstError(in:)`).
    static func validate(_ text: String) throws(CreditCodeError) {
        if let error = firstError(in: text) { throw error }
    }

    /// Whether `text` is a valid code as given.
    static func isValid(_ text: String) -> Bool { firstError(in: text) == nil }

    /// The first rule `text` breaks, checked in order: length, characters,
    /// the administrative division, the organisation code's check character,
    /// the code's check character. nil: valid.
    static func firstError(in text: String) -> CreditCodeError? {
        let characters = Array(text)
        guard characters.count == length else { return .length(actual: characters.count) }
        var values: [Int] = []
        for (index, character) in characters.enumerated() {
            guard let value = codeValue(character) else {
                return .invalidCharacter(position: index + 1, character: character)
            }
            values.append(value)
        }
        for position in 3...8 where !characters[position - 1].isASCIIDigit {
            return .divisionNotDigits(position: position, character: characters[position - 1])
        }
        let organisationCheck = organisationCodeCheckCharacter(for: String(characters[8..<16]))!
        if characters[16] != organisationCheck {
            return .organisationCodeCheck(expected: organisationCheck, actual: characters[16])
        }
        let check = checkCharacter(values: Array(values[0..<17]))
        if characters[17] != check {
            return .checkCharacter(expected: check, actual: characters[17])
        }
        return nil
    }

    /// The check character (position 18) for the first 17 characters; nil
    /// when `first17` is not 17 characters of the code set.
    static func checkCharacter(for first17: String) -> Character? {
        let values = first17.map(codeValue)
        guard values.count == 17, values.allSatisfy({ $0 != nil }) else { return nil }
        return checkCharacter(values: values.map { $0! })
    }

    private static func checkCharacter(values: [Int]) -> Character {
        let sum = zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return codeSet[(31 - sum % 31) % 31]
    }

    /// The GB 11714 check character for an organisation code's eight body
    /// characters (digits or upper-case letters); nil for anything else.
    static func organisationCodeCheckCharacter(for body: String) -> Character? {
        let values = body.map(organisationCodeValue)
        guard values.count == 8, values.allSatisfy({ $0 != nil }) else { return nil }
        let sum = zip(values.map { $0! }, organisationCodeWeights).reduce(0) { $0 + $1.0 * $1.1 }
        switch 11 - sum % 11 {
        case 10: return "X"
        case 11: return "0"
        case let digit: return Character(String(digit))
        }
    }

    /// The GB 32100 value of a code-set character (0–30).
    static func codeValue(_ character: Character) -> Int? {
        codeSet.firstIndex(of: character)
    }

    /// The GB 11714 value: 0–9, then A = 10 … Z = 35.
    static func organisationCodeValue(_ character: Character) -> Int? {
        guard let ascii = character.asciiValue else { return nil }
        switch ascii {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(ascii - UInt8(ascii: "0"))
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return Int(ascii - UInt8(ascii: "A")) + 10
        default: return nil
        }
    }

    // MARK: Parts

    private var characters: [Character] { Array(value) }
    var registrationAuthorityCode: Character { characters[0] }
    var organisationTypeCode: Character { characters[1] }
    /// Positions 3–8.
    var divisionCode: String { String(characters[2..<8]) }
    /// Positions 9–17, the 组织机构代码 with its check character.
    var organisationCode: String { String(characters[8..<17]) }
    var checkCharacter: Character { characters[17] }

    /// The registration authority of position 1, for the codes GB 32100-2015
    /// lists (nil for others).
    var registrationAuthority: String? {
        switch registrationAuthorityCode {
        case "1": "机构编制"
        case "2": "外交"
        case "3": "司法行政"
        case "4": "文化"
        case "5": "民政"
        case "6": "旅游"
        case "7": "宗教"
        case "8": "工会"
        case "9": "工商"
        case "A": "中央军委改革和编制办公室"
        case "N": "农业"
        case "Y": "其他"
        default: nil
        }
    }
}

/// Which rule of GB 32100-2015 a code breaks.
enum CreditCodeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not 18 characters.
    case length(actual: Int)
    /// A character outside 0-9 A-H J-N P-R T-U W-Y (1-based position).
    case invalidCharacter(position: Int, character: Character)
    /// Positions 3–8 (administrative division) must be digits.
    case divisionNotDigits(position: Int, character: Character)
    /// Position 17, the GB 11714 check character of the organisation code.
    case organisationCodeCheck(expected: Character, actual: Character)
    /// Position 18.
    case checkCharacter(expected: Character, actual: Character)

    var description: String {
        switch self {
        case .length(let actual):
            return "a unified social credit code has 18 characters, not \(actual)"
        case .invalidCharacter(let position, let character):
            return "invalid character \(Self.show(character)) at position \(position): "
                + "allowed are 0-9 and A-H, J-N, P-R, T-U, W-Y (upper case; no I, O, S, V, Z)"
        case .divisionNotDigits(let position, let character):
            return "invalid character \(Self.show(character)) at position \(position): "
                + "positions 3-8 (administrative division code) must be digits"
        case .organisationCodeCheck(let expected, let actual):
            return "organisation code check character (position 17) expected \(expected), found \(actual)"
        case .checkCharacter(let expected, let actual):
            return "check character (position 18) expected \(expected), found \(actual)"
        }
    }

    private static func show(_ character: Character) -> String {
        let scalars = character.unicodeScalars
        if scalars.allSatisfy({ $0.properties.isWhitespace || $0.properties.generalCategory == .control }) {
            return scalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: " ")
        }
        return "'\(character)'"
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
