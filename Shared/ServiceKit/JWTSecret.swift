import Crypto
import Foundation

/// The shared HS256 key (`SJ_JWT_SECRET`). The key is the UTF-8 bytes of the
/// value as given (after trimming surrounding whitespace, so a file read with
/// its trailing newline gives the same key). It prints as `<redacted>` in
/// every form — `description`, `debugDescription` and reflection — so logging
/// a configuration never leaks it.
public struct JWTSecret: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// RFC 7518 §3.2: an HS256 key must be at least as long as the hash (32 bytes).
    public static let minimumLength = 32

    /// Raw bytes: SymmetricKey is not Sendable, so one is made per use (cheap).
    private let bytes: [UInt8]
    var key: SymmetricKey { SymmetricKey(data: bytes) }

    public init(_ value: String) throws(JWTSecretError) {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        let bytes = Array(trimmed.utf8)
        guard bytes.count >= Self.minimumLength else {
            throw JWTSecretError(byteCount: bytes.count)
        }
        self.bytes = bytes
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    /// Stands in while configuration problems are being collected; never used to sign.
    static let placeholder = JWTSecret(bytes: (0..<minimumLength).map { _ in UInt8.random(in: 0...255) })

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}

public struct JWTSecretError: Error, CustomStringConvertible {
    public var byteCount: Int
    public var description: String {
        byteCount == 0
            ? "it is empty; it needs at least \(JWTSecret.minimumLength) bytes"
            : "it is \(byteCount) bytes long; it needs at least \(JWTSecret.minimumLength)"
    }
}
