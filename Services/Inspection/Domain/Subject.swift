import Domain
import Foundation

/// What a signal and a warning are about: one institution, school, member
/// unit or duty-matrix topic. `key` identifies it for scoring, so every
/// signal about the same subject adds to the same score.
struct Subject: Codable, Sendable, Equatable, Hashable {
    enum Kind: String, Codable, Sendable, CaseIterable { case institution, school, unit, topic }

    var kind: Kind
    /// `institution:<registry id>`, `institution-code:<credit code>` or
    /// `institution-name:<name>` (not in the registry), `school:<name>`,
    /// `unit:<unit id>`, `topic:<topic>`.
    var key: String
    /// The name the county reads: the registry's name where known.
    var name: String
    /// An institution the registry knows.
    var institutionId: UUID?
    var creditCode: String?
    var unitId: String?
    var topic: DutyTopic?
    /// An institution: whether the registry knows it (an unknown one may be 无证办学).
    var registered: Bool?
}

/// A member unit answering for a warning, and why: the duty-matrix role
/// (`lead` first) and the topics or institution responsibilities it came from.
struct ResponsibleUnit: Codable, Sendable, Equatable {
    var unitId: String
    var name: String
    var role: DutyRole
    /// `supervising`, `approving`, `registering` (an institution's), a topic, or `concerned` (the unit named).
    var basis: [String]
}
