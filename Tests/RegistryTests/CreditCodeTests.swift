import Foundation
import Testing

@testable import Registry

/// 统一社会信用代码, GB 32100-2015 (and GB 11714-1997 for positions 9–17).
@Suite struct CreditCodeTests {
    // MARK: An independent reference, written from the standards' text

    /// GB 32100 code set in value order; its index is the code value.
    static let codeSet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")

    static func reference18(_ first17: String) -> Character {
        var sum = 0
        var weight = 1  // 3^(i-1) mod 31
        for character in first17 {
            sum += codeSet.firstIndex(of: character)! * weight
            weight = weight * 3 % 31
        }
        let value = 31 - sum % 31
        return codeSet[value == 31 ? 0 : value]
    }

    static func reference17(_ body: String) -> Character {
        // GB 11714: 0-9 → 0-9, A-Z → 10-35 (base 36 digits).
        let sum = zip(body, [3, 7, 9, 10, 5, 8, 4, 2]).reduce(0) { $0 + Int(String($1.0), radix: 36)! * $1.1 }
        let value = 11 - sum % 11
        return value == 10 ? "X" : value == 11 ? "0" : Character(String(value))
    }

    /// A full code from its first 16 characters (authority, type, division, organisation body).
    static func complete(_ first16: String) -> String {
        let first17 = first16 + String(reference17(String(first16.suffix(8))))
        return first17 + String(reference18(first17))
    }

    // MARK: Valid

    @Test func weightsArePowersOfThreeModThirtyOne() {
        #expect(CreditCode.weights == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])
        #expect(CreditCode.codeSet.count == 31)
        for excluded in "IOZSV" { #expect(!CreditCode.codeSet.contains(excluded)) }
    }

    /// Codes as printed on real business licences and certificates.
    @Test(arguments: [
        "91440300708461136T",
        "914403001922038216",
        "91110000802100433B",
        "12100000400000624D",
        "53100000500021676K",
    ])
    func realCodesAreValid(_ code: String) throws {
        let parsed = try CreditCode(validating: code)
        #expect(parsed.value == code)
        #expect(CreditCode.isValid(code))
        #expect(CreditCode.checkCharacter(for: String(code.prefix(17))) == code.last)
        #expect(Self.reference18(String(code.prefix(17))) == code.last)
    }

    /// Fang County (行政区划 420325) codes built here with the reference
    /// functions; the expected strings were worked out independently.
    @Test(arguments: [
        // 民办非企业单位 (5 民政, 2), a non-profit training school.
        ("52420325MA4F1234", "52420325MA4F12340C"),
        // 企业 (9 工商, 1): the body has letters past H, where GB 11714's
        // alphabet (J = 19) and GB 32100's code set (J = 18) disagree.
        ("91420325MA49XJ7P", "91420325MA49XJ7P3U"),
        ("91420325MA4KN0RW", "91420325MA4KN0RW1J"),
        // 个体工商户 (9, 2).
        ("92420325L1234567", "92420325L12345674C"),
        // 机关 (1, 1) with the organisation code 01145506-X of the notice's index
        // number (01145506X/2022-59218): a check character X at position 17.
        ("1142032501145506", "1142032501145506X3"),
        // An organisation check of 11, written 0.
        ("5142032530000001", "51420325300000010L"),
    ])
    func constructedCodesAreValid(_ first16: String, _ expected: String) throws {
        let code = Self.complete(first16)
        #expect(code == expected)
        let parsed = try CreditCode(validating: code)
        #expect(parsed.divisionCode == "420325")
        #expect(parsed.organisationCode == String(code.dropFirst(8).prefix(9)))
        #expect(CreditCode.organisationCodeCheckCharacter(for: String(first16.suffix(8))) == code.dropLast().last)
    }

    @Test func partsAreNamed() throws {
        let code = try CreditCode(validating: "52420325MA4F12340C")
        #expect(code.registrationAuthorityCode == "5")
        #expect(code.registrationAuthority == "民政")
        #expect(code.organisationTypeCode == "2")
        #expect(code.divisionCode == "420325")
        #expect(code.organisationCode == "MA4F12340")
        #expect(code.checkCharacter == "C")
        #expect(code.description == "52420325MA4F12340C")
    }

    @Test func normalizedTrimsAndUpperCases() throws {
        #expect(CreditCode.normalized("  91440300708461136t\n") == "91440300708461136T")
        #expect(throws: CreditCodeError.invalidCharacter(position: 18, character: "t")) {
            try CreditCode(validating: "91440300708461136t")
        }
    }

    @Test func codableRejectsInvalidCodes() throws {
        let decoded = try JSONDecoder().decode([CreditCode].self, from: Data(#"["91440300708461136T"]"#.utf8))
        #expect(decoded.map(\.value) == ["91440300708461136T"])
        #expect(String(decoding: try JSONEncoder().encode(decoded), as: UTF8.self) == #"["91440300708461136T"]"#)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CreditCode].self, from: Data(#"["914403007084611360"]"#.utf8))
        }
    }

    // MARK: Invalid

    @Test(arguments: [
        ("", 0),
        ("91440300708461136", 17),
        ("91440300708461136TT", 19),
        ("9144030070846113 6T", 19),
    ])
    func wrongLengthIsReported(_ code: String, _ count: Int) {
        #expect(CreditCode.firstError(in: code) == .length(actual: count))
        #expect(CreditCode.firstError(in: code)?.description == "a unified social credit code has 18 characters, not \(count)")
    }

    @Test(arguments: [
        ("91440300I08461136T", 9, "I"),
        ("91440300708461136O", 18, "O"),
        ("Z1440300708461136T", 1, "Z"),
        ("9S440300708461136T", 2, "S"),
        ("914403007V8461136T", 10, "V"),
        ("91440300708461136t", 18, "t"),
        ("91440300708461１36T", 15, "１"),
        ("914403007084611-6T", 16, "-"),
        ("91440300708461136房", 18, "房"),
    ] as [(String, Int, Character)])
    func invalidCharacterIsReportedWithItsPosition(_ code: String, _ position: Int, _ character: Character) {
        let error = CreditCode.firstError(in: code)
        #expect(error == .invalidCharacter(position: position, character: character))
        #expect(error?.description.hasPrefix("invalid character '\(character)' at position \(position):") == true)
    }

    @Test func whiteSpaceIsShownByCodePoint() {
        let error = CreditCode.firstError(in: "91440300708461136\t")
        #expect(error == .invalidCharacter(position: 18, character: "\t"))
        #expect(error?.description.hasPrefix("invalid character U+9 at position 18") == true)
    }

    @Test func divisionMustBeDigits() {
        // Everything else valid: both check characters recomputed.
        let code = Self.complete("9144A300708461136".prefix(16).description)
        #expect(CreditCode.firstError(in: code) == .divisionNotDigits(position: 5, character: "A"))
        #expect(CreditCode.firstError(in: code)?.description.contains("positions 3-8 (administrative division code) must be digits") == true)
    }

    @Test func organisationCodeCheckCharacterIsVerified() {
        // 70846113-6 with its check changed to 5, position 18 recomputed so
        // that only position 17 is wrong.
        let first17 = "91440300708461135"
        let code = first17 + String(Self.reference18(first17))
        #expect(CreditCode.firstError(in: code) == .organisationCodeCheck(expected: "6", actual: "5"))
        #expect(
            CreditCode.firstError(in: code)?.description
                == "organisation code check character (position 17) expected 6, found 5")
    }

    @Test(arguments: [
        ("914403007084611360", "T"),
        ("91440300708461136U", "T"),
        ("914403001922038217", "6"),
        ("52420325MA4F12340D", "C"),
        ("1142032501145506X0", "3"),
    ] as [(String, Character)])
    func checkCharacterIsVerified(_ code: String, _ expected: Character) {
        let error = CreditCode.firstError(in: code)
        #expect(error == .checkCharacter(expected: expected, actual: code.last!))
        #expect(error?.description == "check character (position 18) expected \(expected), found \(code.last!)")
        #expect(throws: CreditCodeError.checkCharacter(expected: expected, actual: code.last!)) {
            try CreditCode.validate(code)
        }
    }

    @Test func everyWrongCheckCharacterIsCaught() {
        for code in ["91440300708461136T", "52420325MA4F12340C"] {
            for wrong in CreditCode.codeSet where wrong != code.last {
                #expect(!CreditCode.isValid(String(code.dropLast()) + String(wrong)))
            }
        }
    }

    @Test func checkCharacterHelpersRejectBadInput() {
        #expect(CreditCode.checkCharacter(for: "9144030070846113") == nil)
        #expect(CreditCode.checkCharacter(for: "9144030070846113I") == nil)
        #expect(CreditCode.organisationCodeCheckCharacter(for: "7084611") == nil)
        #expect(CreditCode.organisationCodeCheckCharacter(for: "7084611a") == nil)
        #expect(CreditCode.organisationCodeCheckCharacter(for: "70846113") == "6")
    }
}
