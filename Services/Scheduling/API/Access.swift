import ServiceKit

/// Who may do what in the scheduling service (issue 11, "Authorization").
///
/// - The office manages everything: drafts, issues, accepts and returns.
/// - Conveners and county systems read everything.
/// - A `unit` token sees and answers only its own unit's letters.
/// - Everyone else (e.g. `ops`) gets 403.
enum Access {
    static let readers: [Principal.Role] = [.office, .convener, .countySystem, .unit]
    /// Read every unit's letters and statistics.
    static let overseers: [Principal.Role] = [.office, .convener, .countySystem]
    static let managers: [Principal.Role] = [.office]
    /// With `require(unit:orAnyOf:)`: the unit itself and no other role (its 办理情况 is its own word).
    static let noOtherRole: [Principal.Role] = []
}
