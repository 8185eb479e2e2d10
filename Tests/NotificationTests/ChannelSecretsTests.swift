import ChannelSecrets
import Crypto
import Foundation
import ServiceKit
import Testing

/// Sealed channel secrets: bound to their owner and channel, naming their
/// key, and moved to a new key during a rotation.
@Suite struct ChannelSecretsTests {
    static let binding = SecretBinding(ownerKind: "person", ownerId: "0f8fad5b-d9cb-469f-a165-70867728950e", channel: "webhook")
    static let oldHex = String(repeating: "ab", count: 32)
    static let newHex = String(repeating: "cd", count: 32)

    static func box(_ list: String) throws -> SecretBox { SecretBox(keyring: try SecretKeyring(list: list)) }

    @Test func sealsAndOpensUnderItsOwnerAndChannelOnly() throws {
        let box = SecretBox(key: SymmetricKey(size: .bits256))
        let sealed = box.seal("robot-secret-0123456789", for: Self.binding)
        #expect(!String(decoding: sealed, as: UTF8.self).contains("robot-secret"))
        #expect(try box.open(sealed, for: Self.binding) == "robot-secret-0123456789")
        #expect(box.seal("robot-secret-0123456789", for: Self.binding) != sealed, "a fresh nonce each time")
        // The same bytes moved to another owner's or channel's row do not open there.
        for other in [
            SecretBinding(ownerKind: "person", ownerId: "1f8fad5b-d9cb-469f-a165-70867728950e", channel: "webhook"),
            SecretBinding(ownerKind: "person", ownerId: Self.binding.ownerId, channel: "sms"),
            SecretBinding(ownerKind: "unit", ownerId: Self.binding.ownerId, channel: "webhook"),
        ] {
            #expect(throws: SecretBoxError.cannotOpen) { try box.open(sealed, for: other) }
        }
        // Another key, an altered byte, a value in no known format.
        #expect(throws: SecretBoxError.cannotOpen) { try SecretBox(key: SymmetricKey(size: .bits256)).open(sealed, for: Self.binding) }
        var altered = sealed
        altered[altered.count - 1] ^= 1
        #expect(throws: SecretBoxError.cannotOpen) { try box.open(altered, for: Self.binding) }
        #expect(throws: SecretBoxError.notSealed) { try box.open(Data("plain".utf8), for: Self.binding) }
    }

    /// The documented format: version 1, the key id's length and the key id, then AES-GCM's combined form.
    @Test func theSealedFormatNamesItsKey() throws {
        let box = try Self.box("k2026:\(Self.newHex)")
        let sealed = box.seal("0123456789abcdef", for: Self.binding)
        #expect(sealed[0] == 1)
        #expect(sealed[1] == 5)
        #expect(String(decoding: sealed[2..<7], as: UTF8.self) == "k2026")
        #expect(sealed.count == 2 + 5 + 12 + 16 + 16)
        #expect(SecretBox.keyId(of: sealed) == "k2026")
        // The key id is authenticated: rewriting it to another configured key's id fails.
        let both = try Self.box("k2026:\(Self.newHex),k2025:\(Self.newHex)")
        var renamed = sealed
        renamed.replaceSubrange(2..<7, with: Data("k2025".utf8))
        #expect(throws: SecretBoxError.cannotOpen) { try both.open(renamed, for: Self.binding) }
    }

    /// Seal with the old key; add a new key in front: the old secret still
    /// opens; reseal moves it to the new key (a second reseal changes
    /// nothing); with the old key removed it still opens.
    @Test func rotation() throws {
        let old = try Self.box("old:\(Self.oldHex)")
        let sealedOld = old.seal("gateway-secret-0123456789", for: Self.binding)
        #expect(SecretBox.keyId(of: sealedOld) == "old")

        let rotating = try Self.box("new:\(Self.newHex), old:\(Self.oldHex)")
        #expect(try rotating.open(sealedOld, for: Self.binding) == "gateway-secret-0123456789")
        #expect(SecretBox.keyId(of: rotating.seal("x", for: Self.binding)) == "new", "the newest key seals")

        let resealed = try #require(try rotating.resealed(sealedOld, for: Self.binding))
        #expect(SecretBox.keyId(of: resealed) == "new")
        #expect(try rotating.resealed(resealed, for: Self.binding) == nil, "already on the newest key")

        let newOnly = try Self.box("new:\(Self.newHex)")
        #expect(try newOnly.open(resealed, for: Self.binding) == "gateway-secret-0123456789")
        #expect(throws: SecretBoxError.unknownKeyId("old")) { try newOnly.open(sealedOld, for: Self.binding) }
    }

    /// The single key is the list's `default:KEY`.
    @Test func theSingleKeyIsTheDefaultKeyOfTheList() throws {
        let single = SecretBox(keyring: try SecretKeyring(single: Self.oldHex))
        let base64 = SecretBox(keyring: try SecretKeyring(single: Data(repeating: 0xab, count: 32).base64EncodedString()))
        let listed = try Self.box("new:\(Self.newHex),default:\(Self.oldHex)")
        let sealed = single.seal("0123456789abcdef", for: Self.binding)
        #expect(SecretBox.keyId(of: sealed) == "default")
        #expect(try base64.open(sealed, for: Self.binding) == "0123456789abcdef")
        #expect(try listed.open(sealed, for: Self.binding) == "0123456789abcdef")
    }

    @Test func theKeysAreReadLikeTheServiceReadsThem() throws {
        func read(_ environment: [String: String]) -> (SecretBox?, [String]) {
            var reader = EnvironmentReader(environment)
            let box = SecretBoxEnvironment.read(&reader)
            return (box, reader.problems)
        }
        let (list, listProblems) = read(["SJ_NOTIFICATION_SECRET_KEYS": "b:\(Self.newHex),a:\(Self.oldHex)"])
        #expect(listProblems.isEmpty && list?.keyring.keys.map(\.id) == ["b", "a"])
        let (single, singleProblems) = read(["SJ_NOTIFICATION_SECRET_KEY": Self.oldHex])
        #expect(singleProblems.isEmpty && single?.keyring.newest.id == "default")

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID())")
        try Data("b:\(Self.newHex),a:\(Self.oldHex)\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let (fromFile, fileProblems) = read(["SJ_NOTIFICATION_SECRET_KEYS_FILE": file.path])
        #expect(fileProblems.isEmpty && fromFile?.keyring.keys.map(\.id) == ["b", "a"])

        let cases: [([String: String], String)] = [
            ([:], "SJ_NOTIFICATION_SECRET_KEYS is missing"),
            (["SJ_NOTIFICATION_SECRET_KEYS": "a:\(Self.oldHex)", "SJ_NOTIFICATION_SECRET_KEY": Self.oldHex], "are both set"),
            (["SJ_NOTIFICATION_SECRET_KEY": "c2hvcnQ="], "SJ_NOTIFICATION_SECRET_KEY is not usable: key default decodes to 5 bytes"),
            (["SJ_NOTIFICATION_SECRET_KEYS": Self.oldHex], "SJ_NOTIFICATION_SECRET_KEYS is not usable: a key id"),
            (["SJ_NOTIFICATION_SECRET_KEYS": "a:\(Self.oldHex),a:\(Self.newHex)"], "key id a appears twice"),
            (["SJ_NOTIFICATION_SECRET_KEYS": "a:\(Self.oldHex),b:not-a-key!"], "key b is neither hex nor base64"),
        ]
        for (environment, expected) in cases {
            let (box, problems) = read(environment)
            #expect(box == nil)
            #expect(problems.count == 1 && problems[0].contains(expected), "\(problems) should say \(expected)")
            for problem in problems { #expect(!problem.contains(Self.oldHex) && !problem.contains("c2hvcnQ")) }
        }
    }
}
