/// Who caused a recorded act: a person (the token's subject and role, and
/// the unit a `unit` token speaks for) or a part of the system. The role is
/// a string, not ServiceKit's `Principal.Role`, so system actors can say
/// `system` and this module needs no HTTP layer.
///
/// In JSON: `{"subject": "…", "role": "office", "unitId": "education-bureau"}`.
public struct AuditActor: Codable, Sendable, Hashable {
    public var subject: String
    public var role: String
    public var unitId: String?

    public init(subject: String, role: String, unitId: String? = nil) {
        self.subject = subject
        self.role = role
        self.unitId = unitId
    }

    /// A part of the system acting on its own (a consumer applying an event,
    /// a timer escalating a letter): role `system`, subject `name`.
    public static func system(_ name: String) -> AuditActor {
        AuditActor(subject: name, role: systemRole)
    }

    public static let systemRole = "system"

    /// `unitId` is always written, `null` when absent, so every entry has the same shape.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(subject, forKey: .subject)
        try container.encode(role, forKey: .role)
        try container.encode(unitId, forKey: .unitId)
    }
}
