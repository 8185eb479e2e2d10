import Domain
import Foundation

/// An early warning (预警) of 专题研判制度: a subject whose score crossed a
/// threshold, the units that answer for it (lead first), why (the
/// explanation), the handling steps each level asked for, and what the
/// office did. Its events carry it whole.
struct Warning: Codable, Sendable, Equatable, VersionedAggregate {
    enum Status: String, Codable, Sendable, CaseIterable {
        /// Raised by the score; not yet judged by the office.
        case raised
        /// The office confirmed it (研判确认).
        case confirmed
        /// The office circulated it (通报) to the member units.
        case circulated
        /// Handled: closed by the office with a reason.
        case closed
    }

    /// A change of level: by the score (`by` = `inspection`) or by the office, with its reason.
    struct LevelChange: Codable, Sendable, Equatable {
        var from: WarningLevel?
        var to: WarningLevel
        var at: Date
        var by: String
        var reason: String
        /// The score when it changed.
        var score: Double
    }

    /// A handling (处置) step: one responsible unit, one deadline in working
    /// days. The scheduling service makes it the unit's task.
    struct HandlingStep: Codable, Sendable, Equatable {
        /// `<warning id>/<n>`: the scheduling service's idempotency key for the task.
        var id: String
        /// The level that asked for it.
        var level: WarningLevel
        var title: String
        var unitId: String
        var unitName: String
        var role: DutyRole
        var assignedAt: Date
        /// Due by the end of this day (China time), counted in working days from `assignedAt`.
        var dueDate: LocalDate
        var workingDays: Int
        /// The due date rests on a provisional holiday year (暂定).
        var provisional: Bool
    }

    struct Act: Codable, Sendable, Equatable {
        var by: String
        var at: Date
        var note: String?
    }

    var id: UUID
    var subject: Subject
    var level: WarningLevel
    var status: Status
    var score: Double
    /// Lead units first.
    var responsibleUnits: [ResponsibleUnit] { didSet { responsibleUnitIds = responsibleUnits.map(\.unitId) } }
    /// `responsibleUnits`' ids, lead first: what a consumer (the notification
    /// service's routing rules) addresses without walking the objects.
    var responsibleUnitIds: [String]
    /// The evaluation that raised it or last moved its level.
    var explanation: Explanation
    var levelHistory: [LevelChange]
    var handlingSteps: [HandlingStep]
    var confirmed: Act?
    var circulated: Act?
    var closed: Act?
    /// Whether a 专题研判 session was requested (once per warning).
    var specialStudyRequested: Bool
    var raisedAt: Date
    var version: Int
    var updatedAt: Date
}
