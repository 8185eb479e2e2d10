import Foundation

/// What `AuditVerifier.verify` found.
public struct AuditVerificationReport: Sendable {
    /// One thing wrong with the chain. `seq` is the first entry it concerns
    /// (nil for a problem no entry carries, such as another chain's heads).
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public var seq: Int64?
        public var message: String

        public init(seq: Int64?, message: String) {
            self.seq = seq
            self.message = message
        }

        public var description: String { message }
    }

    public var service: String
    /// The chain head in the database when the walk ran.
    public var head: AuditChainHead
    /// Entries whose hash was recomputed.
    public var entriesChecked: Int
    /// Published heads of this chain compared with the entries.
    public var headsChecked: Int
    /// Published heads of chains passed over with `--ignore-chain`.
    public var headsIgnored: Int
    /// Every problem, the one with the lowest sequence number first (those
    /// without one, such as a replaced database, before all).
    public var problems: [Problem]

    public var passed: Bool { problems.isEmpty }
    /// The first bad thing: what `sjctl audit verify` names.
    public var firstProblem: Problem? { problems.first }

    /// One line for an operator: the counts and the head when the chain holds.
    public var summary: String {
        let headText = head.seq == 0 ? "empty chain" : "head seq \(head.seq) hash \(head.hashHex)"
        return "\(service): \(entriesChecked) entr\(entriesChecked == 1 ? "y" : "ies") and \(headsChecked) published head\(headsChecked == 1 ? "" : "s") checked"
            + (headsIgnored > 0 ? " (\(headsIgnored) of ignored chains passed over)" : "")
            + "; chain \(head.chainId.uuidString.lowercased()), \(headText)"
    }
}
