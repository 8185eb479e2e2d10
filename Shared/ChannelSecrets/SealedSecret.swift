import Foundation

/// The stored form of a sealed channel secret (`channel_configs.secret`):
///
///     byte 0          format version, 1
///     byte 1          n, the key id's length (1…32)
///     bytes 2…n+1     the key id (ASCII)
///     the rest        AES-256-GCM: nonce (12) ‖ ciphertext ‖ tag (16)
///
/// The associated data — authenticated, not stored — is
/// `shuangjian/channel-secret/v1 ‖ 0 ‖ key id ‖ 0 ‖ owner kind ‖ 0 ‖ owner id ‖ 0 ‖ channel`
/// (UTF-8, 0 a zero byte), so neither the key id nor the row it belongs to
/// can be changed without the value failing to open.
struct SealedSecret: Equatable {
    static let version: UInt8 = 1
    static let nonceAndTagBytes = 12 + 16

    var keyId: String
    /// nonce ‖ ciphertext ‖ tag, CryptoKit's "combined" form.
    var combined: Data

    init(keyId: String, combined: Data) {
        self.keyId = keyId
        self.combined = combined
    }

    /// nil when `bytes` is not in this format.
    init?(_ bytes: Data) {
        let bytes = Array(bytes)
        guard bytes.count >= 2, bytes[0] == Self.version else { return nil }
        let length = Int(bytes[1])
        guard (1...32).contains(length), bytes.count >= 2 + length + Self.nonceAndTagBytes else { return nil }
        let id = String(decoding: bytes[2..<(2 + length)], as: UTF8.self)
        guard SecretKeyring.Key.isValidId(id) else { return nil }
        keyId = id
        combined = Data(bytes[(2 + length)...])
    }

    var bytes: Data {
        var data = Data([Self.version, UInt8(keyId.utf8.count)])
        data.append(contentsOf: keyId.utf8)
        data.append(combined)
        return data
    }

    static func associatedData(keyId: String, binding: SecretBinding) -> Data {
        var data = Data("shuangjian/channel-secret/v\(version)".utf8)
        for part in [keyId, binding.ownerKind, binding.ownerId, binding.channel] {
            data.append(0)
            data.append(contentsOf: part.utf8)
        }
        return data
    }
}
