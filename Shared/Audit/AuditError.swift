/// Misuse of the audit log that no retry fixes.
public enum AuditError: Error, CustomStringConvertible, Sendable {
    /// `AuditLog.append` ran outside a transaction: its entries would not
    /// share the fate of the state change they record, and the head lock
    /// would be released before the entries are visible.
    case notInTransaction
    /// The `audit_chain` row is missing: the database was not migrated with `AuditSchema`.
    case noChain
    /// A record's digest is not 64 lower-case hex digits (use `AuditRecord.digest(of:)`).
    case invalidDigest(String)
    case missingResource(String)

    public var description: String {
        switch self {
        case .notInTransaction:
            "AuditLog.append must run inside the caller's open transaction (BEGIN … COMMIT), with the state change it records"
        case .noChain:
            "the audit_chain row is missing: migrate the database with AuditSchema first"
        case .invalidDigest(let digest):
            "audit digest \"\(digest.prefix(80))\" is not 64 lower-case hex digits (SHA-256)"
        case .missingResource(let name):
            "bundle resource \(name) is missing from this build"
        }
    }
}
