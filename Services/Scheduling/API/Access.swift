import ServiceKit

/// Who may do what in the scheduling service (issue 11, "Authorization").
///
/// - The office manages everything: assigns, accepts and returns tasks;
///   drafts and issues letters, accepts and returns the units' reports.
/// - Conveners read everything (and decide ad hoc meetings).
/// - A `unit` token sees and answers only its own unit's items: the tasks
///   it leads or assists in; only the lead unit accepts and reports
///   completion (`authorize(principal, …)` in the routes); it sees the
///   letters addressed to it once issued, signs for them and reports.
/// - County systems read.
/// - Everyone else (e.g. `ops`) gets 403.
enum Access {
    /// Read every unit's items.
    static let readers: [Principal.Role] = [.office, .convener, .countySystem]
    /// Readers, and a unit's token for its own unit's items.
    static let unitReaders: [Principal.Role] = [.office, .convener, .countySystem, .unit]
    static let managers: [Principal.Role] = [.office]
    /// The units that answer for their items.
    static let units: [Principal.Role] = [.unit]
    /// With `require(unit:orAnyOf:)`: the unit itself and no other role (a
    /// letter's 办理情况 is the unit's own word).
    static let noOtherRole: [Principal.Role] = []
}

/// The checks a handler makes once it has the task.
extension Access {
    /// A reader, or a unit the task names (lead or assisting).
    static func authorize(_ principal: Principal, toSee task: WorkTask) throws {
        if readers.contains(principal.role) { return }
        guard principal.role == .unit, let unit = principal.unitId, task.unitIds.contains(unit) else {
            throw Problem.forbidden("Only the office, the conveners, county systems and the units the task names may see it.")
        }
    }

    /// Only the lead unit's token answers for the task (accepts it, reports it done).
    static func authorize(_ principal: Principal, asLeadOf task: WorkTask) throws {
        guard principal.role == .unit, principal.unitId == task.leadUnitId else {
            throw Problem.forbidden("Only the lead unit \(task.leadUnitId) answers for this task.")
        }
    }

    /// Progress and files: the office, or a unit the task names; completion: the lead unit only.
    static func authorize(_ principal: Principal, toReport kind: TaskReportKind, on task: WorkTask) throws {
        switch kind {
        case .completion:
            try authorize(principal, asLeadOf: task)
        case .progress:
            if managers.contains(principal.role) { return }
            guard principal.role == .unit, let unit = principal.unitId, task.unitIds.contains(unit) else {
                throw Problem.forbidden("Only the units the task names report on it.")
            }
        }
    }

    /// The unit whose tasks a list may show: a unit token its own (another unit's: 403).
    static func authorize(_ principal: Principal, toList unitId: String?) throws -> String? {
        guard principal.role == .unit else { return unitId }
        guard let own = principal.unitId else { throw Problem.forbidden("This unit token names no unit.") }
        if let unitId, unitId != own { throw Problem.forbidden("A unit token sees only its own unit's tasks (\(own)).") }
        return own
    }
}
