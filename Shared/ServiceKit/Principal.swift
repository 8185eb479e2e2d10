/// Who made a request, from a verified bearer token (DESIGN.md §5).
public struct Principal: Sendable, Hashable {
    /// The token's `sub`: a person, a county system, an operator.
    public var subject: String
    public var role: Role
    /// The member unit a `unit` principal belongs to; nil for every other role.
    public var unitID: String?

    public init(subject: String, role: Role, unitID: String? = nil) {
        self.subject = subject
        self.role = role
        self.unitID = unitID
    }

    /// The roles of the mechanism, as they appear in the token's `role` claim.
    public enum Role: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
        /// 协调机制办公室: the office at the Education Bureau that runs the mechanism.
        case office
        /// 召集人: a convener.
        case convener
        /// A member unit's liaison: sees and answers only its own unit's tasks and letters.
        case unit
        /// A county system that sends events or reads data.
        case countySystem = "county-system"
        /// Operators (dead letters, replays).
        case ops

        public var description: String { rawValue }
    }

    /// True when this principal may act for `unitID`: any of `roles`, or the
    /// unit's own liaison.
    public func mayActFor(unit unitID: String, orAnyOf roles: [Role]) -> Bool {
        roles.contains(role) || (role == .unit && self.unitID == unitID)
    }
}
