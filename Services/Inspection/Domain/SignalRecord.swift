import Domain
import Foundation

/// A county signal as the service keeps and shows it: the CloudEvent's
/// identity (source and id: applied once, whichever way it came), its data,
/// and what it was matched to.
struct SignalRecord: Codable, Sendable, Equatable {
    enum Via: String, Codable, Sendable { case kafka, http }

    var id: UUID
    /// ce_source and ce_id.
    var source: String
    var eventId: String
    var type: String
    var kind: SignalKind
    var via: Via
    var receivedAt: Date
    var subject: Subject
    /// The duty topics it touches: its kind's and any it names.
    var topics: [DutyTopic]
    var data: SignalPayload

    /// What identifies a signal whichever way it came: its CloudEvent's (ce_source, ce_id).
    struct Key: Hashable, Sendable {
        var source: String
        var eventId: String
    }

    var key: Key { Key(source: source, eventId: eventId) }

    var scored: ScoredSignal {
        ScoredSignal(id: id, kind: kind, severity: data.severity, occurredAt: data.occurredAt, receivedAt: receivedAt,
                     reference: data.reference, summary: data.summary)
    }
}
