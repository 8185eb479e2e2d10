import Foundation

/// The order in which a person's outside channels are tried: a notification
/// is delivered on the first; when that delivery is dead, on the next
/// (the fallback), with the same idempotency key. The in-app inbox holds it
/// whatever happens outside.
///
/// For each channel the person's own configuration applies, else their
/// unit's. Channels then go by `priority` (lowest first), the person's own
/// before the unit's at equal priority, then webhook, DingTalk, WeCom, SMS
/// (SMS last at equal priority: it costs money and reaches one handset).
enum ChannelOrder {
    struct Candidate: Sendable, Equatable {
        var channel: Channel
        var configId: UUID
        var ownerKind: ChannelConfig.OwnerKind
        var priority: Int
    }

    /// One candidate per channel (the person's own wins), in trying order.
    static func ordered(_ candidates: [Candidate]) -> [Candidate] {
        var chosen: [Channel: Candidate] = [:]
        for candidate in candidates {
            if let existing = chosen[candidate.channel], existing.ownerKind == .person { continue }
            if chosen[candidate.channel] == nil || candidate.ownerKind == .person { chosen[candidate.channel] = candidate }
        }
        let rank = Dictionary(uniqueKeysWithValues: Channel.allCases.enumerated().map { ($1, $0) })
        return chosen.values.sorted {
            ($0.priority, $0.ownerKind == .person ? 0 : 1, rank[$0.channel]!)
                < ($1.priority, $1.ownerKind == .person ? 0 : 1, rank[$1.channel]!)
        }
    }
}
