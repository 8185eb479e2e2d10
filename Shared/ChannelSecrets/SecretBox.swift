import Crypto
import Foundation

/// Seals channel secrets (webhook HMAC keys, DingTalk robot secrets, SMS
/// gateway keys) before they are stored in `channel_configs.secret`, so a
/// database dump or backup alone does not reveal them.
///
/// AES-256-GCM with a fresh random nonce each time, under the keyring's
/// newest key; the stored value names its key (`SealedSecret`), and is bound
/// to its owner and channel through the associated data. Keys come from
/// `SJ_NOTIFICATION_SECRET_KEYS` (or `SJ_NOTIFICATION_SECRET_KEY`, one key):
/// docs/operations.md, "Channel secrets and their keys".
public struct SecretBox: Sendable {
    public let keyring: SecretKeyring

    public init(keyring: SecretKeyring) { self.keyring = keyring }

    /// One key (tests, tools).
    public init(key: SymmetricKey, id: String = SecretKeyring.singleKeyId) {
        precondition(key.bitCount == 256, "SecretBox needs a 256-bit key")
        // swiftlint:disable:next force_try
        keyring = try! SecretKeyring([SecretKeyring.Key(id: id, bytes: key.withUnsafeBytes { Data($0) })])
    }

    /// Never fails: keys are checked to be 256 bits when the keyring is made,
    /// and AES-GCM with a random 96-bit nonce fails for nothing else.
    public func seal(_ secret: String, for binding: SecretBinding) -> Data {
        let key = keyring.newest
        let aad = SealedSecret.associatedData(keyId: key.id, binding: binding)
        // swiftlint:disable:next force_try
        let box = try! AES.GCM.seal(Data(secret.utf8), using: key.symmetricKey, authenticating: aad)
        return SealedSecret(keyId: key.id, combined: box.combined!).bytes
    }

    /// Throws when the value is not a sealed secret, names a key the keyring
    /// does not hold, belongs to another owner or channel, or was altered.
    public func open(_ sealed: Data, for binding: SecretBinding) throws -> String {
        guard let parsed = SealedSecret(sealed) else { throw SecretBoxError.notSealed }
        guard let key = keyring.key(id: parsed.keyId) else { throw SecretBoxError.unknownKeyId(parsed.keyId) }
        do {
            let box = try AES.GCM.SealedBox(combined: parsed.combined)
            let aad = SealedSecret.associatedData(keyId: key.id, binding: binding)
            return String(decoding: try AES.GCM.open(box, using: key.symmetricKey, authenticating: aad), as: UTF8.self)
        } catch {
            throw SecretBoxError.cannotOpen
        }
    }

    /// The id of the key that sealed `sealed`; nil when it is not a sealed secret.
    public static func keyId(of sealed: Data) -> String? { SealedSecret(sealed)?.keyId }

    /// `sealed` sealed again under the newest key, or nil when it already is
    /// (so resealing twice changes nothing). Throws as `open` does.
    public func resealed(_ sealed: Data, for binding: SecretBinding) throws -> Data? {
        if Self.keyId(of: sealed) == keyring.newest.id {
            _ = try open(sealed, for: binding)  // still proves it opens
            return nil
        }
        return seal(try open(sealed, for: binding), for: binding)
    }
}

/// Says which variable or key is wrong and how; never echoes a key (nor a
/// malformed key id, which may be a key written in the wrong place).
public enum SecretBoxError: Error, CustomStringConvertible, Equatable, Sendable {
    case missingKey
    case invalidKey(String)
    case invalidKeyId
    case notSealed
    case unknownKeyId(String)
    case cannotOpen

    public var description: String {
        switch self {
        case .missingKey:
            "\(SecretBoxEnvironment.keys) is missing: set it to id:key pairs, newest first (e.g. k1:KEY), or \(SecretBoxEnvironment.key) to one key — each 32 random bytes as 64 hex digits or base64 (openssl rand -hex 32) — or their _FILE variants"
        case .invalidKey(let reason):
            "not usable: \(reason); give 32 random bytes per key as 64 hex digits or base64 (openssl rand -hex 32)"
        case .invalidKeyId:
            "not usable: a key id is not 1 to 32 of A-Z a-z 0-9 . _ - (the form is id:key,id:key, newest first)"
        case .notSealed:
            "a stored channel secret is not in the sealed format"
        case .unknownKeyId(let id):
            "a stored channel secret was sealed with key \(id), which the configured keys do not include"
        case .cannotOpen:
            "a stored channel secret cannot be opened (sealed for another owner or channel, or altered)"
        }
    }
}
