import Crypto
import Foundation

/// Seals channel secrets (webhook HMAC keys, DingTalk robot secrets) before
/// they are stored in `channel_configs.secret`, so a database dump or backup
/// alone does not reveal them.
///
/// AES-256-GCM; a sealed value is `nonce (12) ‖ ciphertext ‖ tag (16)`
/// (CryptoKit's "combined" form), with a fresh random nonce each time.
///
/// The key comes from `SJ_NOTIFICATION_SECRET_KEY` (or the file
/// `SJ_NOTIFICATION_SECRET_KEY_FILE` names): 32 random bytes written
/// as 64 hex digits or as base64 (e.g. `openssl rand -hex 32`). Changing it
/// makes every stored secret unreadable: deliveries that need one then fail
/// with "cannot be opened" until the secrets are entered again.
struct SecretBox: Sendable {
    static let environmentVariable = "SJ_NOTIFICATION_SECRET_KEY"

    // The raw bytes, not the SymmetricKey: swift-crypto does not mark it Sendable.
    private let keyBytes: Data
    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    /// `key` must be 256 bits.
    init(key: SymmetricKey) {
        precondition(key.bitCount == 256, "SecretBox needs a 256-bit key")
        keyBytes = key.withUnsafeBytes { Data($0) }
    }

    /// From the text form of the variable: 64 hex digits or base64 of 32 bytes.
    init(keyText: String) throws {
        let text = keyText.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = Self.hexBytes(text) ?? Data(base64Encoded: text) ?? Data(base64Encoded: Self.padded(text)) else {
            throw SecretBoxError.invalidKey("it is neither hex nor base64")
        }
        guard bytes.count == 32 else {
            throw SecretBoxError.invalidKey("it decodes to \(bytes.count) bytes; 32 are needed")
        }
        self.init(key: SymmetricKey(data: bytes))
    }

    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SecretBox {
        guard let text = environment[environmentVariable], !text.isEmpty else { throw SecretBoxError.missingKey }
        return try SecretBox(keyText: text)
    }

    /// Never fails: the key is checked to be 256 bits at init, and AES-GCM with
    /// a random 96-bit nonce fails for nothing else.
    func seal(_ secret: String) -> Data {
        // swiftlint:disable:next force_try
        try! AES.GCM.seal(Data(secret.utf8), using: key).combined!
    }

    /// Throws when the value was sealed with another key or was altered.
    func open(_ sealed: Data) throws -> String {
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            return String(decoding: try AES.GCM.open(box, using: key), as: UTF8.self)
        } catch {
            throw SecretBoxError.cannotOpen
        }
    }

    private static func hexBytes(_ text: String) -> Data? {
        guard text.count == 64 else { return nil }
        var bytes = Data(capacity: 32)
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }

    /// Base64 written without its trailing `=`.
    private static func padded(_ text: String) -> String {
        text + String(repeating: "=", count: (4 - text.count % 4) % 4)
    }
}

/// Says which variable is wrong and how; never echoes the value.
enum SecretBoxError: Error, CustomStringConvertible, Equatable {
    case missingKey
    case invalidKey(String)
    case cannotOpen

    var description: String {
        switch self {
        case .missingKey:
            "\(SecretBox.environmentVariable) is missing: set it (or \(SecretBox.environmentVariable)_FILE) to 32 random bytes as 64 hex digits or base64 (openssl rand -hex 32)"
        case .invalidKey(let reason):
            "\(SecretBox.environmentVariable) is not a usable key: \(reason); give 32 random bytes as 64 hex digits or base64 (openssl rand -hex 32)"
        case .cannotOpen:
            "a stored channel secret cannot be opened (sealed with another \(SecretBox.environmentVariable), or altered)"
        }
    }
}
