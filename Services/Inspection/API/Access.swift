import ServiceKit

/// Who may do what in the inspection service (issue 12, "authorization").
///
/// - County systems publish signals (`county-system`).
/// - The office manages warnings: confirms, changes levels, circulates, closes.
/// - Conveners read and decide (they read everything the office reads).
/// - A `unit` token sees only the warnings its unit answers for.
/// - Joint inspections: the office opens campaigns, forms groups, assigns
///   and draws; conveners read. An inspector is a person of the registry
///   who signs in with their unit's token (`unit`, `sub` = their person id):
///   they record only the inspections that name them; any other `unit`
///   token sees its own unit's inspections and findings.
/// - Everyone else (e.g. `ops`) gets 403.
enum Access {
    static let signalSenders: [Principal.Role] = [.countySystem]
    static let signalReaders: [Principal.Role] = [.office, .convener]
    static let warningReaders: [Principal.Role] = [.office, .convener, .unit]
    static let managers: [Principal.Role] = [.office]
    /// The statistics: the office and the conveners.
    static let overseers: [Principal.Role] = [.office, .convener]
    /// Campaigns, draws: the office and the conveners read.
    static let campaignReaders: [Principal.Role] = [.office, .convener]
    /// Inspections and findings: also `unit` tokens (their own, or those they inspect).
    static let inspectionReaders: [Principal.Role] = [.office, .convener, .unit]
    /// Who may record an inspection's items, submit it and re-check its
    /// findings: the office, or an inspector it names (a `unit` token whose
    /// subject is the inspector's person id — checked against the inspection).
    static let recorders: [Principal.Role] = [.office, .unit]
}
