import Foundation
import Testing
@testable import ServiceKit

@Suite struct JWTTests {
    static let secret = try! JWTSecret("0123456789abcdef0123456789abcdef-test")
    let signer = TokenSigner(secret: JWTTests.secret)
    let verifier = TokenVerifier(secret: JWTTests.secret)
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    @Test(arguments: Principal.Role.allCases)
    func signedTokensVerify(role: Principal.Role) throws {
        let principal = Principal(subject: "alice", role: role, unitId: role == .unit ? "u-07" : nil)
        let token = try signer.sign(principal, ttl: .seconds(3600), now: now)
        #expect(token.split(separator: ".").count == 3)
        #expect(try verifier.verify(token, now: now.addingTimeInterval(10)) == principal)
    }

    @Test func expiredTokensAreRefusedAfterTheLeeway() throws {
        let token = try signer.sign(Principal(subject: "a", role: .office), ttl: .seconds(60), now: now)
        #expect(try verifier.verify(token, now: now.addingTimeInterval(60 + 29)).role == .office)
        #expect(throws: TokenError.expired) { try verifier.verify(token, now: now.addingTimeInterval(60 + 31)) }
    }

    @Test func notBeforeAndFutureIssueAreRefused() throws {
        var claims = TokenClaims(
            principal: Principal(subject: "a", role: .ops), issuedAt: now, expiresAt: now.addingTimeInterval(600),
            notBefore: now.addingTimeInterval(120))
        #expect(throws: TokenError.notYetValid) { try verifier.verify(signer.sign(claims), now: now) }
        claims.notBefore = nil
        claims.issuedAt += 300
        #expect(throws: TokenError.invalidClaim("iat is in the future")) { try verifier.verify(signer.sign(claims), now: now) }
    }

    @Test func aWrongSignatureIsRefused() throws {
        let other = TokenSigner(secret: try JWTSecret(String(repeating: "x", count: 40)))
        let token = try other.sign(Principal(subject: "a", role: .office), ttl: .seconds(60), now: now)
        #expect(throws: TokenError.badSignature) { try verifier.verify(token, now: now) }

        // A payload changed after signing.
        let good = try signer.sign(Principal(subject: "a", role: .unit, unitId: "u-1"), ttl: .seconds(60), now: now)
        var parts = good.split(separator: ".").map(String.init)
        let forged = TokenClaims(
            principal: Principal(subject: "a", role: .office), issuedAt: now, expiresAt: now.addingTimeInterval(60))
        parts[1] = Base64URL.encode(try JSONEncoder().encode(forged))
        #expect(throws: TokenError.badSignature) { try verifier.verify(parts.joined(separator: "."), now: now) }
    }

    @Test func algNoneAndOtherAlgorithmsAreRefused() throws {
        let claims = try JSONEncoder().encode(
            TokenClaims(principal: Principal(subject: "a", role: .ops), issuedAt: now, expiresAt: now.addingTimeInterval(60)))
        let none = Base64URL.encode(Data(#"{"alg":"none","typ":"JWT"}"#.utf8)) + "." + Base64URL.encode(claims) + "."
        #expect(throws: TokenError.unsupportedAlgorithm("none")) { try verifier.verify(none, now: now) }
        // Even correctly MACed: the header's alg is not ours to choose.
        let hs512 = signer.sign(header: Data(#"{"alg":"HS512"}"#.utf8), payload: claims)
        #expect(throws: TokenError.unsupportedAlgorithm("HS512")) { try verifier.verify(hs512, now: now) }
    }

    @Test func roleUnitNeedsAUnitAndOnlyItHasOne() throws {
        #expect(throws: TokenError.invalidClaim("role unit needs a unit claim")) {
            try signer.sign(Principal(subject: "a", role: .unit), ttl: .seconds(60), now: now)
        }
        var claims = TokenClaims(
            principal: Principal(subject: "a", role: .office), issuedAt: now, expiresAt: now.addingTimeInterval(60))
        claims.role = "unit"
        #expect(throws: TokenError.invalidClaim("role unit needs a unit claim")) {
            try verifier.verify(signer.sign(claims), now: now)
        }
        claims.role = "office"
        claims.unit = "u-1"
        #expect(throws: TokenError.invalidClaim("only role unit carries a unit claim")) {
            try verifier.verify(signer.sign(claims), now: now)
        }
    }

    @Test func claimsAreCheckedOneByOne() throws {
        func token(_ json: String) -> String { signer.sign(header: Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8), payload: Data(json.utf8)) }
        let exp = Int(now.timeIntervalSince1970) + 60, iat = Int(now.timeIntervalSince1970)
        #expect(throws: TokenError.invalidClaim("iss is not shuangjian")) {
            try verifier.verify(token(#"{"iss":"other","sub":"a","role":"ops","iat":\#(iat),"exp":\#(exp)}"#), now: now)
        }
        #expect(throws: TokenError.invalidClaim("exp is missing")) {
            try verifier.verify(token(#"{"iss":"shuangjian","sub":"a","role":"ops","iat":\#(iat)}"#), now: now)
        }
        #expect(throws: TokenError.invalidClaim("role admin is not one of office, convener, unit, county-system, ops")) {
            try verifier.verify(token(#"{"iss":"shuangjian","sub":"a","role":"admin","iat":\#(iat),"exp":\#(exp)}"#), now: now)
        }
        #expect(try verifier.verify(
            token(#"{"iss":"shuangjian","sub":"cs","role":"county-system","iat":\#(iat),"exp":\#(exp).5}"#), now: now).role == .countySystem)
    }

    @Test(arguments: ["", "abc", "a.b", "a.b.c.d", "!!.e30.", "e30.e30.***"])
    func malformedTokensAreRefused(token: String) {
        #expect {
            try verifier.verify(token, now: now)
        } throws: { error in
            if case .malformed = error as? TokenError { return true }
            return false
        }
    }
}
