@testable import Registry

/// Valid unified social credit codes for tests: the 17 characters given,
/// with the organisation code's (GB 11714) and the whole code's (GB 32100)
/// check characters computed.
enum CreditCodeSample {
    static func valid(body: String) -> String? {
        let characters = Array(body)
        guard characters.count == 17,
              let organisationCheck = CreditCode.organisationCodeCheckCharacter(for: String(characters[8..<16]))
        else { return nil }
        let first17 = String(characters[0..<16]) + String(organisationCheck)
        return CreditCode.checkCharacter(for: first17).map { first17 + String($0) }
    }
}
