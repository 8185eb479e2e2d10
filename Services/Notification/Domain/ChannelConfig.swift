import Foundation

/// A channel configured for a person or a unit. The secret is write-only.
struct ChannelConfig: Codable, Sendable, Equatable {
    enum OwnerKind: String, Codable, Sendable { case person, unit }
    var id: UUID
    var ownerKind: OwnerKind
    var ownerId: String
    var channel: Channel
    var endpoint: String
    var hasSecret: Bool
    var enabled: Bool
    /// The owner's channels are tried in this order, lowest first (`ChannelOrder`).
    var priority: Int
    var updatedAt: Date

    static let defaultPriority = 100
    static let priorities = 0...1000
}
