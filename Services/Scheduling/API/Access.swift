import ServiceKit

/// Who may do what in the scheduling service (issue 11, "Authorization").
///
/// - The office manages everything: assigns, accepts and returns tasks;
///   drafts and issues letters, accepts and returns the units' reports;
///   schedules sittings.
/// - Conveners read everything, approve or refuse ad hoc liaison meetings and
///   call an ad hoc plenary directly (会议决策制度).
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
    /// Sittings: readers, and a unit's token for the sittings its unit is expected at.
    static let meetingReaders: [Principal.Role] = [.office, .convener, .countySystem, .unit]
    /// Who may own a calendar feed: a person's token (office, convener, a unit's liaison)
    /// for their own feed or their unit's; the office for any.
    static let feedOwners: [Principal.Role] = [.office, .convener, .unit]
    /// The office schedules sittings; a convener calls an ad hoc plenary.
    static let meetingCallers: [Principal.Role] = [.office, .convener]
    /// 必要时经召集人同意，可临时召开例会: a convener decides an ad hoc request.
    static let adHocDeciders: [Principal.Role] = [.convener]
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

    /// A unit token reads only a sitting its unit is expected at or presents at.
    static func mayRead(_ meeting: Meeting, _ principal: Principal) throws(Problem) {
        guard principal.role == .unit else { return }
        let unitId = principal.unitId ?? ""
        let involved = meeting.attendance.contains { $0.unitId == unitId }
            || meeting.agenda.contains { $0.presenterUnitId == unitId }
        if !involved {
            throw Problem.forbidden("A unit token sees only its own unit's meetings; \(unitId) is not expected at this one.")
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
