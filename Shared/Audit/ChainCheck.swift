import EventFlow
import Foundation

/// The checks of one walk, fed entry by entry in sequence order.
struct ChainCheck {
    typealias Problem = AuditVerificationReport.Problem

    let head: AuditChainHead
    /// This chain's published heads, by sequence number (then publication time).
    private let heads: [PublishedHead]
    private var otherChains: [UUID: [PublishedHead]] = [:]
    private var nextHead = 0
    private var expected: Int64 = 1
    /// The previous entry's stored hash; nil right after a gap (unknown).
    private var previous: [UInt8]? = AuditChainHash.genesis
    private var problems: [Problem] = []
    /// Published heads that name a present entry, and whether they agree with it.
    private var compared: [(head: PublishedHead, agrees: Bool)] = []
    private(set) var entriesChecked = 0

    init(head: AuditChainHead, heads: [PublishedHead]) {
        self.head = head
        var own: [PublishedHead] = []
        for published in heads {
            if published.chainId == head.chainId { own.append(published) } else { otherChains[published.chainId, default: []].append(published) }
        }
        self.heads = own.sorted { ($0.seq, $0.publishedAt) < ($1.seq, $1.publishedAt) }
    }

    mutating func visit(_ entry: AuditEntry) {
        if entry.seq > expected {
            let range = entry.seq - expected == 1 ? "" : " (entries \(expected)…\(entry.seq - 1) are)"
            problems.append(Problem(seq: expected, message: "entry \(expected) is missing\(range)"))
            previous = nil  // the next link cannot be checked without the missing hash
        }
        if let previous, !entry.hashMatches(previous: previous) {
            problems.append(Problem(seq: entry.seq, message: "entry \(entry.seq): stored hash does not match its contents"))
        }
        // Heads of entries missing in a gap are passed over: the gap is reported.
        while nextHead < heads.count, heads[nextHead].seq < entry.seq { nextHead += 1 }
        while nextHead < heads.count, heads[nextHead].seq == entry.seq {
            compared.append((heads[nextHead], heads[nextHead].hash == entry.hashHex))
            nextHead += 1
        }
        entriesChecked += 1
        previous = entry.hash
        expected = entry.seq + 1
    }

    /// Every problem, in the order `AuditVerificationReport.problems` promises.
    mutating func finish() -> [Problem] {
        let last = expected - 1
        checkHeadRow(last: last)
        checkHeadsPastTheEnd(last: last)
        checkDisagreeingHeads()
        var result = otherChains.sorted { $0.key.uuidString < $1.key.uuidString }.map { chainId, heads in
            let latest = heads.max { $0.seq < $1.seq }!
            return Problem(
                seq: nil,
                message: "\(heads.count) head\(heads.count == 1 ? "" : "s") of another chain \(chainId.uuidString.lowercased()) "
                    + "\(heads.count == 1 ? "was" : "were") published for this service (up to seq \(latest.seq), \(latest.described)), "
                    + "but this database's chain is \(head.chainId.uuidString.lowercased()): the database was replaced; "
                    + "if that was deliberate, pass --ignore-chain \(chainId.uuidString.lowercased())")
        }
        result += problems.sorted { ($0.seq ?? 0) < ($1.seq ?? 0) }
        return result
    }

    /// The `audit_chain` row must point at the last entry.
    private mutating func checkHeadRow(last: Int64) {
        if head.seq > last {
            problems.append(Problem(
                seq: last + 1,
                message: "entry \(last + 1) is missing: the chain head says the log reaches seq \(head.seq), the last entry is \(last)"))
        } else if head.seq < last {
            problems.append(Problem(
                seq: head.seq + 1, message: "entry \(head.seq + 1) lies beyond the chain head (seq \(head.seq)): entries were added around the log"))
        } else if let previous, previous != head.hash {
            problems.append(Problem(seq: last, message: "entry \(last): the chain head's hash does not match it"))
        }
    }

    /// A published head past the last entry: entries that existed are gone.
    private mutating func checkHeadsPastTheEnd(last: Int64) {
        guard let furthest = heads.last, furthest.seq > last else { return }
        problems.append(Problem(
            seq: last + 1,
            message: "entry \(last + 1) is missing: \(furthest.described) shows the log reached seq \(furthest.seq), "
                + "but the last entry is \(last)"))
    }

    /// Each head that disagrees with its entry, in sequence order: forged,
    /// when a later head agrees (the hash chain proves every entry up to that
    /// one); otherwise the log was rewritten after it was published,
    /// somewhere after the last head that agrees — which explains every later
    /// disagreeing head too, so the search stops there.
    private mutating func checkDisagreeingHeads() {
        let firstWalkFailure = problems.compactMap(\.seq).min() ?? .max
        for disagreeing in compared where !disagreeing.agrees {
            let head = disagreeing.head
            if let later = compared.first(where: { $0.agrees && $0.head.seq > head.seq && $0.head.seq < firstWalkFailure })?.head {
                problems.append(Problem(
                    seq: head.seq,
                    message: "\(head.described) is forged: it says hash \(head.hash), "
                        + "but \(later.described) agrees with the log and the hash chain proves entries 1…\(later.seq), entry \(head.seq) among them"))
                continue
            }
            let lastAgreeing = compared.last(where: { $0.agrees && $0.head.seq < head.seq })?.head
            let lower = (lastAgreeing?.seq ?? 0) + 1
            let bound = lastAgreeing.map { "; the last head that agrees is \($0.described)" } ?? "; no earlier head agrees"
            let place = lower == head.seq
                ? "entry \(head.seq) was rewritten" : "entries \(lower)…\(head.seq) were rewritten (the rewrite lies in that range)"
            problems.append(Problem(
                seq: lower,
                message: "\(place) after \(head.described): the head says hash \(head.hash), the log now gives another\(bound)"))
            return
        }
    }
}

extension PublishedHead {
    /// "the head for seq 7 published at 2026-…Z".
    var described: String { "the head for seq \(seq) published at \(RFC3339.format(publishedAt))" }
}
