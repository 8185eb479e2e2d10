import Crypto
import Foundation

/// The keys that seal channel secrets, newest first. The newest seals; every
/// key opens what it sealed, so during a rotation the list holds the new key
/// and the old ones until `sjctl secrets reseal` has moved every secret.
public struct SecretKeyring: Sendable {
    public struct Key: Sendable {
        /// Written into every value this key seals, so opening finds its key.
        public let id: String
        // The raw bytes, not the SymmetricKey: swift-crypto does not mark it Sendable.
        let bytes: Data
        var symmetricKey: SymmetricKey { SymmetricKey(data: bytes) }

        /// `bytes` must be 32 (AES-256).
        public init(id: String, bytes: Data) throws {
            guard Self.isValidId(id) else { throw SecretBoxError.invalidKeyId }
            guard bytes.count == 32 else { throw SecretBoxError.invalidKey("key \(id) is \(bytes.count) bytes; 32 are needed") }
            self.id = id
            self.bytes = bytes
        }

        /// 1 to 32 of `A–Z a–z 0–9 . _ -`: short, printable, and free of the list's `:` and `,`.
        /// (Checked on every open: by hand, a Regex costs more than the AES.)
        public static func isValidId(_ id: String) -> Bool {
            let bytes = id.utf8
            return (1...32).contains(bytes.count) && bytes.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                     UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                    true
                default:
                    false
                }
            }
        }
    }

    /// The id `SJ_NOTIFICATION_SECRET_KEY` (the single-key form) gives its key:
    /// `SJ_NOTIFICATION_SECRET_KEY=K` is `SJ_NOTIFICATION_SECRET_KEYS=default:K`.
    public static let singleKeyId = "default"

    /// Newest first; never empty, ids unique.
    public let keys: [Key]
    public var newest: Key { keys[0] }

    public init(_ keys: [Key]) throws {
        guard !keys.isEmpty else { throw SecretBoxError.invalidKey("no key is given") }
        var seen: Set<String> = []
        for key in keys where !seen.insert(key.id).inserted {
            throw SecretBoxError.invalidKey("key id \(key.id) appears twice")
        }
        self.keys = keys
    }

    public func key(id: String) -> Key? { keys.first { $0.id == id } }

    /// The list form, `id1:key1,id2:key2` (newest first), each key 32 bytes
    /// as 64 hex digits or base64. Spaces and line breaks around items are ignored.
    public init(list text: String) throws {
        var keys: [Key] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = item.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let colon = item.firstIndex(of: ":") else {
                throw SecretBoxError.invalidKeyId
            }
            let id = String(item[..<colon]).trimmingCharacters(in: .whitespaces)
            guard Key.isValidId(id) else { throw SecretBoxError.invalidKeyId }
            let bytes = try Self.keyBytes(String(item[item.index(after: colon)...]), id: id)
            keys.append(try Key(id: id, bytes: bytes))
        }
        try self.init(keys)
    }

    /// The single-key form: one key, id `default`.
    public init(single text: String) throws {
        try self.init([Key(id: Self.singleKeyId, bytes: try Self.keyBytes(text, id: Self.singleKeyId))])
    }

    /// 64 hex digits or base64 (padded or not) of 32 bytes. Never echoes the value.
    static func keyBytes(_ text: String, id: String) throws -> Data {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = hexBytes(text) ?? Data(base64Encoded: text) ?? Data(base64Encoded: padded(text)) else {
            throw SecretBoxError.invalidKey("key \(id) is neither hex nor base64")
        }
        guard bytes.count == 32 else {
            throw SecretBoxError.invalidKey("key \(id) decodes to \(bytes.count) bytes; 32 are needed")
        }
        return bytes
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
