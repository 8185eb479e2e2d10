import Foundation

/// What a sealed channel secret belongs to: its owner (a person or a unit)
/// and its channel. It is the AES-GCM associated data, so a secret copied
/// to another owner's or channel's row in the database does not open there.
public struct SecretBinding: Sendable, Equatable, CustomStringConvertible {
    /// `person` or `unit`.
    public var ownerKind: String
    /// A person's id in lower case, or a unit's id — as `channel_configs.owner_id` stores it.
    public var ownerId: String
    /// `webhook`, `dingtalk`, `wecom` or `sms`.
    public var channel: String

    public init(ownerKind: String, ownerId: String, channel: String) {
        self.ownerKind = ownerKind
        self.ownerId = ownerId
        self.channel = channel
    }

    public var description: String { "\(ownerKind) \(ownerId), \(channel)" }
}
