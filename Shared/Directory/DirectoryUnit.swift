import Domain
import Foundation

/// A member unit as the directory keeps it: what scheduling and inspection
/// need of the registry's `MemberUnit` (they never import the registry's
/// code). Decoding is tolerant: fields the registry adds are ignored.
public struct DirectoryUnit: Codable, Sendable, Equatable {
    public var id: String
    /// The name as the notice writes it (县教育局), or as the registry renamed it.
    public var name: String
    public var status: DirectoryUnitStatus
    /// The unit's member (成员) and liaison (联络员), if named.
    public var memberId: UUID?
    public var liaisonId: UUID?
    /// The unit's items of 职责分工, in the registry's order.
    public var duties: [DirectoryDuty]
    /// The registry's version of the unit: only a newer one replaces it.
    public var version: Int
    public var updatedAt: Date?

    public init(
        id: String, name: String, status: DirectoryUnitStatus = .active, memberId: UUID? = nil, liaisonId: UUID? = nil,
        duties: [DirectoryDuty] = [], version: Int, updatedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.status = status
        self.memberId = memberId
        self.liaisonId = liaisonId
        self.duties = duties
        self.version = version
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey { case id, name, status, memberId, liaisonId, duties, version, updatedAt }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        // The registry's units carry no status yet: a unit it publishes is a
        // member. A `status` it adds later ("removed") is read here.
        status = try container.decodeIfPresent(DirectoryUnitStatus.self, forKey: .status) ?? .active
        memberId = try container.decodeIfPresent(UUID.self, forKey: .memberId)
        liaisonId = try container.decodeIfPresent(UUID.self, forKey: .liaisonId)
        duties = try container.decodeIfPresent([DirectoryDuty].self, forKey: .duties) ?? []
        version = try container.decode(Int.self, forKey: .version)
        updatedAt = try container.decodeIfPresent(Date.self, forKey: .updatedAt)
    }

    /// The union of the unit's duties' topics, each once, sorted.
    public var topics: [String] { Array(Set(duties.flatMap(\.topics))).sorted() }
}

public enum DirectoryUnitStatus: String, Codable, Sendable, Equatable, CaseIterable {
    /// A member of the mechanism.
    case active
    /// No longer a member: kept, since tasks and letters already name it, but
    /// given no new work.
    case removed
}

/// One item of a unit's 职责分工 (通知 二(二)).
public struct DirectoryDuty: Codable, Sendable, Equatable {
    /// `<unit id>/<n>`.
    public var id: String
    /// The notice's sentence (the paragraph's item) this duty is.
    public var text: String
    /// Topic names as strings, so a topic new to the registry still routes.
    public var topics: [String]
    /// lead (负责 / 会同) or assisting (配合); see `DutyRole`.
    public var role: String
    /// The units the sentence names as working with this unit on the item.
    public var partnerUnitIds: [String]
    /// A derived item only: the duty whose sentence this is.
    public var sourceDutyId: String?

    public init(
        id: String, text: String, topics: [String], role: DutyRole = .lead, partnerUnitIds: [String] = [],
        sourceDutyId: String? = nil
    ) {
        self.id = id
        self.text = text
        self.topics = topics
        self.role = role.rawValue
        self.partnerUnitIds = partnerUnitIds
        self.sourceDutyId = sourceDutyId
    }

    enum CodingKeys: String, CodingKey { case id, text, topics, role, partnerUnitIds, sourceDutyId }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        text = try container.decode(String.self, forKey: .text)
        topics = try container.decode([String].self, forKey: .topics)
        // Units published before duties had roles: all their items are their own.
        role = try container.decodeIfPresent(String.self, forKey: .role) ?? DutyRole.lead.rawValue
        partnerUnitIds = try container.decodeIfPresent([String].self, forKey: .partnerUnitIds) ?? []
        sourceDutyId = try container.decodeIfPresent(String.self, forKey: .sourceDutyId)
    }
}
