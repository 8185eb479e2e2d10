import Domain
import Foundation

/// The `data` of every county signal, whichever way it came (Kafka or
/// `POST /v1/signals`): docs/asyncapi.yaml's `CountySignal` schema. The
/// members a kind does not use are absent.
struct SignalPayload: Codable, Sendable, Equatable {
    /// What the signal is about: exactly one of the four.
    struct Concerns: Codable, Sendable, Equatable {
        /// A training institution, by 统一社会信用代码 or name (or both).
        var institution: InstitutionReference?
        /// A school, by name.
        var school: SchoolReference?
        /// A member unit, by its id (e.g. `education-bureau`).
        var unitId: String?
        /// A topic of the duty matrix.
        var topic: DutyTopic?
    }

    struct InstitutionReference: Codable, Sendable, Equatable {
        var creditCode: String?
        var name: String?
    }

    struct SchoolReference: Codable, Sendable, Equatable {
        var name: String
    }

    /// The sending system's own number (工单号, 信访件编号, …).
    var reference: String
    /// When it happened or was received by the sending system.
    var occurredAt: Date
    var severity: SignalSeverity
    /// What happened, as the sending system summarises it.
    var summary: String
    var concerns: Concerns
    /// Duty-matrix topics the signal touches besides its kind's own (scoring rules).
    var topics: [DutyTopic]?
    /// Where (address, township).
    var location: String?
    /// prepaid-fund-alert: the amount at risk, in yuan.
    var amountYuan: Double?
    /// safety-incident: people injured and killed.
    var injured: Int?
    var deaths: Int?
    /// public-opinion: where it appeared and its address.
    var platform: String?
    var url: String?
}
