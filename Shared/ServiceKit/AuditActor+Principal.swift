import Audit

extension AuditActor {
    /// Who made a request, as the audit log records it: the token's subject
    /// and role, and the unit a `unit` token speaks for.
    public init(_ principal: Principal) {
        self.init(subject: principal.subject, role: principal.role.rawValue, unitId: principal.unitId)
    }
}
