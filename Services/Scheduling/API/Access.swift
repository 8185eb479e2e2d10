import Domain
import ServiceKit

/// Who may do what in the scheduling service (issue 11, "Authorization").
///
/// - The office manages everything.
/// - Conveners read everything, approve or refuse ad hoc liaison meetings and
///   call an ad hoc plenary directly (会议决策制度).
/// - A `unit` token sees and answers only its own unit's meetings, tasks and letters.
/// - County systems read.
/// - Everyone else (e.g. `ops`) gets 403.
enum Access {
    static let readers: [Principal.Role] = [.office, .convener, .countySystem, .unit]
    static let managers: [Principal.Role] = [.office]
    static let meetingReaders = readers
    /// The office schedules sittings; a convener calls an ad hoc plenary.
    static let meetingCallers: [Principal.Role] = [.office, .convener]
    /// 必要时经召集人同意，可临时召开例会: a convener decides an ad hoc request.
    static let adHocDeciders: [Principal.Role] = [.convener]

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
}
