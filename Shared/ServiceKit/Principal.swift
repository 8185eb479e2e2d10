import Domain

/// Who made a request, from a verified bearer token (DESIGN.md §5).
public struct Principal: Sendable, Hashable {
    /// The token's `sub`: a person, a county system, an operator.
    public var subject: String
    public var role: Role
    /// The member unit a `unit` principal belongs to; nil for every other role.
    public var unitId: String?

    public init(subject: String, role: Role, unitId: String? = nil) {
        self.subject = subject
        self.role = role
        self.unitId = unitId
    }

    /// The roles of the mechanism (Shared/Domain), as the token's `role` claim carries them.
    public typealias Role = Domain.Role

    /// True when this principal may act for `unitId`: any of `roles`, or the
    /// unit's own liaison.
    public func mayActFor(unit unitId: String, orAnyOf roles: [Role]) -> Bool {
        roles.contains(role) || (role == .unit && self.unitId == unitId)
    }
}
