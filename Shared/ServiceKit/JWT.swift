import Crypto
import Foundation

// Bearer tokens (DESIGN.md §5): compact JWS, HS256 only, key from SJ_JWT_SECRET.
// Written here rather than taken from a JWT library because the whole need is
// one algorithm and six claims, and every rule below is one we want to see:
// the algorithm is fixed (a token saying `none` or `RS256` is refused before
// anything else), the MAC is compared in constant time, and the claims are
// checked strictly.

/// The claims of a Shuangjian token, with their JWT names on the wire.
public struct TokenClaims: Codable, Sendable, Equatable {
    /// `iss`: always `shuangjian`.
    public var issuer: String
    /// `sub`
    public var subject: String
    /// `role`: a `Principal.Role` raw value.
    public var role: String
    /// `unit`: present iff the role is `unit`.
    public var unit: String?
    /// `iat`, `exp`, `nbf`: NumericDate, seconds since 1970.
    public var issuedAt: Int64
    public var expiresAt: Int64
    public var notBefore: Int64?

    enum CodingKeys: String, CodingKey {
        case issuer = "iss", subject = "sub", role, unit
        case issuedAt = "iat", expiresAt = "exp", notBefore = "nbf"
    }

    public init(principal: Principal, issuedAt: Date, expiresAt: Date, notBefore: Date? = nil) {
        self.issuer = TokenVerifier.issuer
        self.subject = principal.subject
        self.role = principal.role.rawValue
        self.unit = principal.unitId
        self.issuedAt = Int64(issuedAt.timeIntervalSince1970.rounded(.down))
        self.expiresAt = Int64(expiresAt.timeIntervalSince1970.rounded(.down))
        self.notBefore = notBefore.map { Int64($0.timeIntervalSince1970.rounded(.down)) }
    }
}

/// Why a token was refused. The description is safe to send to the client
/// (it becomes the `error_description` of `WWW-Authenticate`).
public enum TokenError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String)
    case unsupportedAlgorithm(String)
    case badSignature
    case expired
    case notYetValid
    case invalidClaim(String)

    public var description: String {
        switch self {
        case .malformed(let why): "the token is malformed: \(why)"
        case .unsupportedAlgorithm(let alg): "the token's algorithm \(alg) is not accepted; only HS256 is"
        case .badSignature: "the token's signature does not verify"
        case .expired: "the token has expired"
        case .notYetValid: "the token is not valid yet"
        case .invalidClaim(let why): "the token's claims are invalid: \(why)"
        }
    }
}

/// Mints tokens (sjctl token, tests).
public struct TokenSigner: Sendable {
    private let secret: JWTSecret

    public init(secret: JWTSecret) { self.secret = secret }

    /// A token for `principal`, valid from `now` for `ttl`.
    public func sign(_ principal: Principal, ttl: Duration, now: Date = Date()) throws(TokenError) -> String {
        try TokenVerifier.check(role: principal.role, unit: principal.unitId)
        guard !principal.subject.isEmpty else { throw .invalidClaim("sub is empty") }
        guard ttl > .zero else { throw .invalidClaim("the lifetime must be positive") }
        let seconds = Double(ttl.components.seconds) + Double(ttl.components.attoseconds) / 1e18
        return sign(TokenClaims(principal: principal, issuedAt: now, expiresAt: now.addingTimeInterval(seconds)))
    }

    /// Signs `claims` as they are, unchecked (tests use this to build bad tokens).
    public func sign(_ claims: TokenClaims) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a struct of strings and integers cannot fail.
        let payload = (try? encoder.encode(claims)) ?? Data()
        return sign(header: Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8), payload: payload)
    }

    /// Signs raw header and payload JSON (tests use this for foreign headers).
    public func sign(header: Data, payload: Data) -> String {
        let input = Base64URL.encode(header) + "." + Base64URL.encode(payload)
        let mac = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: secret.key)
        return input + "." + Base64URL.encode(Data(mac))
    }
}

/// Checks tokens: structure, algorithm, signature, issuer, time, role and unit.
public struct TokenVerifier: Sendable {
    public static let issuer = "shuangjian"
    /// Tokens longer than this are refused unread.
    static let maximumLength = 8192

    private let secret: JWTSecret
    /// Tolerated clock difference between the issuer and this service.
    public var leeway: TimeInterval

    public init(secret: JWTSecret, leeway: Duration = .seconds(30)) {
        self.secret = secret
        self.leeway = Double(leeway.components.seconds)
    }

    public func verify(_ token: String, now: Date = Date()) throws(TokenError) -> Principal {
        guard token.utf8.count <= Self.maximumLength else { throw .malformed("it is longer than \(Self.maximumLength) bytes") }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed("it does not have three dot-separated parts") }
        guard let headerBytes = Base64URL.decode(parts[0]),
            let header = try? JSONDecoder().decode(Header.self, from: headerBytes)
        else { throw .malformed("the header is not base64url-encoded JSON") }
        // The algorithm is ours to choose, not the token's: anything but HS256
        // (notably `none`) is refused before the signature is even looked at.
        guard header.alg == "HS256" else { throw .unsupportedAlgorithm(header.alg) }
        guard header.crit == nil else { throw .malformed("critical header extensions are not supported") }

        guard let signature = Base64URL.decode(parts[2]) else { throw .malformed("the signature is not base64url") }
        let signingInput = Data(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
        // isValidAuthenticationCode compares in constant time.
        guard HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: signingInput, using: secret.key)
        else { throw .badSignature }

        guard let payloadBytes = Base64URL.decode(parts[1]) else { throw .malformed("the payload is not base64url") }
        let claims: RawClaims
        do {
            claims = try JSONDecoder().decode(RawClaims.self, from: payloadBytes)
        } catch {
            throw .invalidClaim("the payload is not a JSON object of the expected claims")
        }
        return try principal(from: claims, now: now.timeIntervalSince1970)
    }

    private func principal(from claims: RawClaims, now: TimeInterval) throws(TokenError) -> Principal {
        guard let iss = claims.iss else { throw .invalidClaim("iss is missing") }
        guard iss == Self.issuer else { throw .invalidClaim("iss is not \(Self.issuer)") }
        guard let sub = claims.sub, !sub.isEmpty else { throw .invalidClaim("sub is missing") }
        guard let exp = claims.exp else { throw .invalidClaim("exp is missing") }
        guard let iat = claims.iat else { throw .invalidClaim("iat is missing") }
        guard let roleName = claims.role else { throw .invalidClaim("role is missing") }
        guard let role = Principal.Role(rawValue: roleName) else {
            throw .invalidClaim(
                "role \(roleName) is not one of \(Principal.Role.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        try Self.check(role: role, unit: claims.unit)
        if now > exp + leeway { throw .expired }
        if let nbf = claims.nbf, now + leeway < nbf { throw .notYetValid }
        if now + leeway < iat { throw .invalidClaim("iat is in the future") }
        return Principal(subject: sub, role: role, unitId: claims.unit)
    }

    /// `unit` is required for role `unit` and meaningless (so refused) for any other.
    static func check(role: Principal.Role, unit: String?) throws(TokenError) {
        switch (role, unit) {
        case (.unit, nil): throw .invalidClaim("role unit needs a unit claim")
        case (.unit, let id?) where id.isEmpty: throw .invalidClaim("unit is empty")
        case (.unit, _), (_, nil): return
        case (_, _?): throw .invalidClaim("only role unit carries a unit claim")
        }
    }

    private struct Header: Decodable {
        var alg: String
        var crit: [String]?
    }

    /// As sent; validated one by one so each refusal names the claim.
    private struct RawClaims: Decodable {
        var iss: String?
        var sub: String?
        var role: String?
        var unit: String?
        var iat: Double?
        var exp: Double?
        var nbf: Double?
    }
}

/// RFC 4648 §5 base64url without padding, as JWS uses it.
enum Base64URL {
    static func encode(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: Substring) -> Data? {
        guard text.utf8.allSatisfy({ byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                true
            default: false
            }
        }) else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let remainder = base64.utf8.count % 4
        if remainder == 1 { return nil }
        if remainder > 0 { base64 += String(repeating: "=", count: 4 - remainder) }
        return Data(base64Encoded: base64)
    }
}
