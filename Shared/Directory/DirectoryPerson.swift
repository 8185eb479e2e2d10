import Domain
import Foundation

/// A person of the mechanism as the directory keeps it (not their contact
/// channels: those are the notification service's business).
public struct DirectoryPerson: Codable, Sendable, Equatable {
    public var id: UUID
    public var name: String
    /// nil for a convener outside the member units (县政府分管教育领导).
    public var unitId: String?
    public var title: String?
    /// Role names as strings (convener, member, liaison, office).
    public var roles: [String]
    public var version: Int
    public var updatedAt: Date?

    public init(
        id: UUID, name: String, unitId: String? = nil, title: String? = nil, roles: [String], version: Int,
        updatedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.unitId = unitId
        self.title = title
        self.roles = roles
        self.version = version
        self.updatedAt = updatedAt
    }

    public func holds(_ role: PersonRole) -> Bool { roles.contains(role.rawValue) }
}
