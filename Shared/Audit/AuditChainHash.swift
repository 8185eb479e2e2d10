import Crypto
import EventFlow
import Foundation

/// How an audit entry is hashed — the whole specification, so that anyone
/// can re-implement the verifier (docs/architecture.md, "Audit trail"):
///
/// **Canonical form** of an entry: these nine fields, in this order, each
/// written as `<UTF-8 byte count in decimal>:<the field's UTF-8 bytes>,`
///
/// 1. `seq` in decimal (`7`);
/// 2. `at` as RFC 3339 in UTC with exactly three fractional digits
///    (`2026-03-01T08:00:00.123Z`);
/// 3. actor subject; 4. actor role; 5. actor unit id, or the empty string;
/// 6. action (the event type); 7. aggregate type; 8. aggregate id;
/// 9. digest (64 lower-case hex digits).
///
/// Example: `1:7,24:2026-03-01T08:00:00.123Z,6:office,…` — the length prefix
/// makes the form unambiguous whatever characters a field contains (a comma
/// or a colon in a subject cannot shift a field boundary).
///
/// **Hash**: `hash(n) = SHA-256(hash(n-1) ‖ canonical(n))`, where `hash(n-1)`
/// is the previous entry's 32 raw bytes and, before seq 1, 32 zero bytes.
///
/// Times are stored rounded to the millisecond (`roundedToMillisecond`), so
/// an entry read back from the database hashes exactly as it was written.
public enum AuditChainHash {
    /// The "previous hash" of entry 1.
    public static let genesis = [UInt8](repeating: 0, count: 32)

    public static func canonicalForm(of entry: AuditEntry) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        for field in [
            String(entry.seq), RFC3339.format(entry.at), entry.actor.subject, entry.actor.role, entry.actor.unitId ?? "",
            entry.action, entry.aggregateType, entry.aggregateId, entry.digest,
        ] {
            let bytes = Array(field.utf8)
            out.append(contentsOf: String(bytes.count).utf8)
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: bytes)
            out.append(UInt8(ascii: ","))
        }
        return out
    }

    /// SHA-256(`previous` ‖ canonical form of `entry`); `entry.hash` is not read.
    public static func hash(previous: [UInt8], entry: AuditEntry) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: previous)
        hasher.update(data: canonicalForm(of: entry))
        return Array(hasher.finalize())
    }

    /// `date` rounded to the nearest millisecond (in integers, like
    /// `RFC3339.format`), the precision an entry's time is stored and hashed with.
    public static func roundedToMillisecond(_ date: Date) -> Date {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        return Date(timeIntervalSince1970: milliseconds / 1000)
    }
}
